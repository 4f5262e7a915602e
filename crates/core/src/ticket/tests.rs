//! The ticket's layout, and its PDF read back with poppler's pdftotext and
//! pdftoppm (poppler-utils, installed by scripts/setup).

use std::process::Command;

use super::*;

pub(crate) use super::sample as sample_appointment;

#[test]
fn the_layout_has_the_portals_rows_and_what_to_bring() {
    let ticket = layout(&sample_appointment(), Paper::A6);
    let row = |label: &str| ticket.rows.iter().find(|(l, _)| l == label).map(|(_, v)| v.as_str()).unwrap_or_default().to_owned();
    assert_eq!(row("Талон:"), "5512792");
    assert_eq!(row("Услуга:"), "B01.064.001 Прием (осмотр, консультация) врача-стоматолога первичный");
    assert_eq!(row("Клиника:"), "ГАУЗ КО «Стоматологическая поликлиника», г. Калуга, ул. Плеханова, д. 33");
    assert_eq!(row("Врач:"), "Захарова Софья Сергеевна, врач-стоматолог (прием по полису ОМС)");
    assert_eq!(row("Вас примут:"), "27.11.2026");
    assert_eq!(row("Время приема:"), "10:30");
    assert_eq!(row("Статус:"), "Заявка подтверждена");
    assert!(ticket.reminder.contains("полис ОМС") && ticket.reminder.contains("документ, удостоверяющий личность"));
    assert!(ticket.qr.width >= 21, "a QR code of the number");
    assert_eq!(file_name(&sample_appointment(), "pdf"), "talon-5512792.pdf");
}

fn write_pdf(paper: Paper) -> (tempdir::Dir, Vec<u8>) {
    let pdf = TicketRenderer::new().expect("fonts").render(&layout(&sample_appointment(), paper)).expect("render");
    let dir = tempdir::Dir::new();
    std::fs::write(dir.path().join("ticket.pdf"), &pdf).expect("write");
    (dir, pdf)
}

#[test]
fn the_pdf_reads_back_in_cyrillic_and_stays_small() {
    for paper in [Paper::A6, Paper::A5] {
        let (dir, pdf) = write_pdf(paper);
        assert!(pdf.len() <= 200 * 1024, "{paper:?}: {} bytes", pdf.len());
        let output = Command::new("pdftotext")
            .args(["-layout"])
            .arg(dir.path().join("ticket.pdf"))
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils)");
        let text = String::from_utf8_lossy(&output.stdout);
        for expected in ["Талон на приём к врачу", "5512792", "B01.064.001", "Захарова Софья Сергеевна", "27.11.2026", "10:30", "полис ОМС"] {
            assert!(text.contains(expected), "{paper:?}: {expected:?} missing from:\n{text}");
        }
        let info = Command::new("pdfinfo").arg(dir.path().join("ticket.pdf")).output().expect("pdfinfo");
        let info = String::from_utf8_lossy(&info.stdout);
        let expected_size = match paper {
            Paper::A6 => "297.64 x 419.53 pts",
            Paper::A5 => "419.53 x 595.28 pts",
        };
        assert!(info.contains(expected_size), "{paper:?}: {info}");
        assert!(info.contains("Pages:           1\n"), "{paper:?}: the ticket fits one page: {info}");
    }
}

#[test]
fn the_print_sheet_says_what_the_pdf_says_with_its_qr_code_as_a_path() {
    let ticket = layout(&sample_appointment(), Paper::A5);
    let sheet = ticket.print_sheet();
    assert_eq!((sheet.width_mm, sheet.height_mm, sheet.scale), (148.0, 210.0, 1.4));
    assert_eq!((sheet.rows.clone(), sheet.number.as_str()), (ticket.rows.clone(), "5512792"));
    // Every dark module is covered by exactly one bar of the path.
    let mut covered = vec![false; ticket.qr.width * ticket.qr.width];
    for bar in sheet.qr_path.split('M').filter(|bar| !bar.is_empty()) {
        let (column, rest) = bar.split_once(' ').expect("x y");
        let (row, rest) = rest.split_once('h').expect("h");
        let length: usize = rest.split_once('v').expect("v").0.parse().expect("length");
        let (column, row): (usize, usize) = (column.parse().expect("x"), row.parse().expect("y"));
        for x in column..column + length {
            assert!(!covered[row * ticket.qr.width + x], "one bar per module");
            covered[row * ticket.qr.width + x] = true;
        }
    }
    assert_eq!(covered, ticket.qr.modules);
    assert_eq!(sheet.qr_modules, ticket.qr.width);
}

#[test]
fn the_qr_code_in_the_pdf_scans_as_the_ticket_number() {
    let (dir, _) = write_pdf(Paper::A6);
    let status = Command::new("pdftoppm")
        .args(["-gray", "-r", "200", "-singlefile"])
        .arg(dir.path().join("ticket.pdf"))
        .arg(dir.path().join("page"))
        .status()
        .expect("pdftoppm (poppler-utils)");
    assert!(status.success());
    let pgm = std::fs::read(dir.path().join("page.pgm")).expect("the page as PGM");
    let (width, height, pixels) = parse_pgm(&pgm);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the ticket");
    let (_, content) = grids[0].decode().expect("the code decodes");
    assert_eq!(content, "5512792");
}

/// Reads a binary PGM (P5) with an 8-bit maximum.
fn parse_pgm(bytes: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut index = 0;
    while fields.len() < 4 {
        while bytes[index].is_ascii_whitespace() {
            index += 1;
        }
        let start = index;
        while !bytes[index].is_ascii_whitespace() {
            index += 1;
        }
        fields.push(std::str::from_utf8(&bytes[start..index]).expect("header").to_owned());
    }
    assert_eq!(fields[0], "P5");
    let width: usize = fields[1].parse().expect("width");
    let height: usize = fields[2].parse().expect("height");
    (width, height, &bytes[index + 1..index + 1 + width * height])
}

/// A temporary folder removed on drop.
mod tempdir {
    use std::path::{Path, PathBuf};
    use std::sync::atomic::{AtomicU64, Ordering};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> Self {
            static NEXT: AtomicU64 = AtomicU64::new(0);
            let path = std::env::temp_dir().join(format!(
                "registratura-ticket-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
            std::fs::create_dir_all(&path).expect("temp dir");
            Self(path)
        }

        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}
