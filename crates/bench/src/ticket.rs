//! The ticket PDF: render time with the fonts loaded once, and size.

use std::time::Instant;

use registratura_core::ticket::{layout, Paper, TicketRenderer};

use crate::Result;

/// Renders the sample ticket `rounds` times on A6 and A5 and prints the
/// median time and the size; the last line gives the A6 median in ms.
pub fn ticket(rounds: usize, out: Option<&std::path::Path>) -> Result<()> {
    let started = Instant::now();
    let renderer = TicketRenderer::new()?;
    println!("fonts parsed once in {:.1} ms", started.elapsed().as_secs_f64() * 1000.0);
    let appointment = registratura_core::ticket::sample();
    let mut a6_median = 0.0;
    for paper in [Paper::A5, Paper::A6] {
        let mut samples = Vec::with_capacity(rounds);
        let mut size = 0;
        for _ in 0..rounds {
            let started = Instant::now();
            let pdf = renderer.render(&layout(&appointment, paper))?;
            samples.push(started.elapsed().as_secs_f64() * 1000.0);
            size = pdf.len();
        }
        samples.sort_by(f64::total_cmp);
        let median = samples[samples.len() / 2];
        println!(
            "{paper:?} ticket: median {median:.2} ms, worst {:.2} ms over {rounds} renders, {:.1} KB (goals <= 50 ms, <= 200 KB)",
            samples[samples.len() - 1],
            size as f64 / 1024.0
        );
        if paper == Paper::A6 {
            a6_median = median;
        }
        if let Some(folder) = out {
            let path = folder.join(format!("ticket-{paper:?}.pdf").to_lowercase());
            std::fs::write(&path, renderer.render(&layout(&appointment, paper))?)?;
            println!("wrote {}", path.display());
        }
    }
    println!("ticket PDF median {a6_median:.2} ms");
    Ok(())
}
