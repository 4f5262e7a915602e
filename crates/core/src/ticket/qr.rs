//! The ticket number as a QR code, as a plain grid of modules that any
//! renderer (PDF, screen) can draw.

use qrcode::{EcLevel, QrCode as Encoder};

/// A square grid of modules, row by row; `true` is dark. The quiet zone is
/// not included: the renderer leaves white space around the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCode {
    pub width: usize,
    pub modules: Vec<bool>,
}

impl QrCode {
    /// Encodes `text` with medium error correction (a crumpled ticket still
    /// scans). A seven-digit number always fits; anything that does not
    /// gives an empty grid rather than a failure, since the number is also
    /// printed in words.
    pub fn encode(text: &str) -> Self {
        match Encoder::with_error_correction_level(text.as_bytes(), EcLevel::M) {
            Ok(code) => Self {
                width: code.width(),
                modules: code.to_colors().into_iter().map(|color| color == qrcode::Color::Dark).collect(),
            },
            Err(_) => Self { width: 0, modules: Vec::new() },
        }
    }

    /// Whether the module at `column`, `row` is dark.
    pub fn is_dark(&self, column: usize, row: usize) -> bool {
        column < self.width && self.modules.get(row * self.width + column).copied().unwrap_or(false)
    }

    /// The dark runs of each row as `(row, first column, length)`: a
    /// renderer draws one bar per run instead of one square per module.
    pub fn dark_runs(&self) -> Vec<(usize, usize, usize)> {
        let mut runs = Vec::new();
        for row in 0..self.width {
            let mut column = 0;
            while column < self.width {
                if self.is_dark(column, row) {
                    let start = column;
                    while column < self.width && self.is_dark(column, row) {
                        column += 1;
                    }
                    runs.push((row, start, column - start));
                } else {
                    column += 1;
                }
            }
        }
        runs
    }

    /// The dark modules as one SVG path in module units (`viewBox="0 0
    /// width width"`): a bar per run, for the print page the webview draws.
    pub fn svg_path(&self) -> String {
        self.dark_runs().iter().map(|(row, column, length)| format!("M{column} {row}h{length}v1h-{length}z")).collect()
    }
}
