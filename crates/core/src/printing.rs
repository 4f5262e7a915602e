//! Silent printing for reception desks and kiosks: the ticket's PDF goes
//! straight to a named printer, with no dialog.
//!
//! On Linux and macOS the PDF is piped to CUPS's `lp`, which accepts PDF
//! directly; nothing is written to disk, so a ticket never lands in a file
//! the person did not choose. Windows has no built-in silent PDF printing
//! (see docs/printing.md); there the call says so.

use crate::ticket::Paper;
use crate::Error;

/// The sheet a document is printed on: a ticket's paper, or A4 for the
/// doctor's day list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    A4,
    A5,
    A6,
}

impl Sheet {
    /// The media name CUPS knows the sheet by.
    pub fn media(self) -> &'static str {
        match self {
            Sheet::A4 => "A4",
            Sheet::A5 => "A5",
            Sheet::A6 => "A6",
        }
    }

    /// Width and height in millimetres, portrait.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Sheet::A4 => (210.0, 297.0),
            Sheet::A5 => (148.0, 210.0),
            Sheet::A6 => (105.0, 148.0),
        }
    }

    /// The PWG name GTK's print dialog knows the sheet by.
    pub fn pwg_name(self) -> &'static str {
        match self {
            Sheet::A4 => "iso_a4",
            Sheet::A5 => "iso_a5",
            Sheet::A6 => "iso_a6",
        }
    }
}

impl From<Paper> for Sheet {
    fn from(paper: Paper) -> Self {
        match paper {
            Paper::A6 => Sheet::A6,
            Paper::A5 => Sheet::A5,
        }
    }
}

/// Sends `pdf` to `printer` as a job named `job_title` on `sheet`.
#[cfg(unix)]
pub fn print_silently(pdf: &[u8], printer: &str, job_title: &str, sheet: Sheet) -> Result<(), Error> {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let printer = printer.trim();
    // A printer name is a CUPS queue name; anything else (a leading dash
    // would read as an option) is refused before it reaches `lp`.
    let well_formed = !printer.is_empty()
        && printer.len() <= 127
        && printer.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '@'))
        && !printer.starts_with('-');
    if !well_formed {
        return Err(Error::PrinterMissing(printer.to_owned()));
    }
    let known = Command::new("lpstat")
        .args(["-p", printer])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|error| Error::PrintFailed(format!("lpstat: {error}")))?;
    if !known.success() {
        return Err(Error::PrinterMissing(printer.to_owned()));
    }
    let mut lp = Command::new("lp")
        .args(["-d", printer, "-t", job_title, "-o", &format!("media={}", sheet.media()), "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|error| Error::PrintFailed(format!("lp: {error}")))?;
    if let Some(mut input) = lp.stdin.take() {
        input.write_all(pdf).map_err(|error| Error::PrintFailed(format!("lp: {error}")))?;
    }
    let output = lp.wait_with_output().map_err(|error| Error::PrintFailed(format!("lp: {error}")))?;
    if output.status.success() {
        Ok(())
    } else {
        Err(Error::PrintFailed(String::from_utf8_lossy(&output.stderr).trim().to_owned()))
    }
}

/// The print system's default printer (`lpstat -d`), for a kiosk whose
/// admin named none.
#[cfg(unix)]
pub fn default_printer() -> Option<String> {
    let output = std::process::Command::new("lpstat").arg("-d").output().ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    // «system default destination: NAME», in any locale the name comes last.
    text.lines().find_map(|line| line.rsplit_once(':').map(|(_, name)| name.trim().to_owned())).filter(|name| !name.is_empty() && !name.contains(' '))
}

/// The printers the print system knows (`lpstat -e`), by name.
#[cfg(unix)]
pub fn printers() -> Vec<String> {
    std::process::Command::new("lpstat")
        .arg("-e")
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).lines().map(str::trim).filter(|name| !name.is_empty()).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Windows and macOS: none listed.
#[cfg(not(unix))]
pub fn printers() -> Vec<String> {
    Vec::new()
}

/// Windows and macOS: no default printer is asked for (silent printing is
/// Linux-only, docs/printing.md).
#[cfg(not(unix))]
pub fn default_printer() -> Option<String> {
    None
}

/// Windows: no silent PDF printing without a third-party PDF program.
#[cfg(not(unix))]
pub fn print_silently(_pdf: &[u8], _printer: &str, _job_title: &str, _sheet: Sheet) -> Result<(), Error> {
    Err(Error::PrintFailed("silent printing is not available on this system".to_owned()))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_printer_name_that_could_be_an_option_is_refused() {
        for name in ["", "-o", "printer name", "../x", "Принтер"] {
            let error = print_silently(b"%PDF", name, "t", Sheet::A6).expect_err(name);
            assert_eq!(error.kind(), crate::ErrorKind::PrinterMissing, "{name}");
        }
    }
}
