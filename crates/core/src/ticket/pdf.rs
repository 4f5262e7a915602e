//! The ticket as a PDF, rendered by genpdf with Noto Sans embedded.
//!
//! genpdf embeds whole font files, so the fonts are subsets of Noto Sans
//! (Latin, Cyrillic and the punctuation a ticket uses; SIL OFL 1.1, licence
//! in `crates/core/fonts/OFL.txt`, made by `scripts/fonts`): a ticket is
//! then a few dozen kilobytes. Parsing the fonts is the slow part, so a
//! [`TicketRenderer`] parses them once and is reused for every ticket.

use genpdf::elements::{Break, LinearLayout, Paragraph, TableLayout};
use genpdf::fonts::{FontData, FontFamily};
use genpdf::style::Style;
use genpdf::{Alignment, Element, Mm, Position, RenderResult, Size};

use super::{QrCode, TicketLayout};
use crate::Error;

const REGULAR: &[u8] = include_bytes!("../../fonts/NotoSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/NotoSans-Bold.ttf");

/// Renders tickets; holds the parsed fonts. Cheap to share behind an `Arc`.
#[derive(Debug, Clone)]
pub struct TicketRenderer {
    fonts: FontFamily<FontData>,
}

impl TicketRenderer {
    /// Parses the embedded fonts.
    pub fn new() -> Result<Self, Error> {
        let face = |bytes: &[u8]| FontData::new(bytes.to_vec(), None).map_err(|error| Error::Internal(format!("font: {error}")));
        let (regular, bold) = (face(REGULAR)?, face(BOLD)?);
        // Tickets use no italics; the upright faces stand in for them.
        Ok(Self { fonts: FontFamily { regular: regular.clone(), bold: bold.clone(), italic: regular, bold_italic: bold } })
    }

    /// The parsed fonts, for the other documents the desk prints.
    pub(crate) fn fonts(&self) -> FontFamily<FontData> {
        self.fonts.clone()
    }

    /// The ticket as PDF bytes.
    pub fn render(&self, ticket: &TicketLayout) -> Result<Vec<u8>, Error> {
        let scale = ticket.paper.scale();
        let size = |points: f64| (points * scale).round().clamp(4.0, 72.0) as u8;
        let (width, height) = ticket.paper.size_mm();

        let mut document = genpdf::Document::new(self.fonts.clone());
        // The PDF's Info title must stay ASCII (genpdf writes it unencoded).
        document.set_title(format!("Ticket {}", ticket.number.chars().filter(char::is_ascii_alphanumeric).collect::<String>()));
        document.set_paper_size(Size::new(width, height));
        document.set_minimal_conformance();
        document.set_font_size(size(8.0));
        document.set_line_spacing(1.1);
        let mut decorator = genpdf::SimplePageDecorator::new();
        decorator.set_margins(genpdf::Margins::trbl(7.0 * scale, 8.0 * scale, 6.0 * scale, 8.0 * scale));
        document.set_page_decorator(decorator);

        document.push(Paragraph::new(ticket.title.as_str()).aligned(Alignment::Center).styled(Style::new().bold().with_font_size(size(12.0))));
        document.push(
            Paragraph::new(format!("№ {}", ticket.number))
                .aligned(Alignment::Center)
                .styled(Style::new().bold().with_font_size(size(20.0))),
        );
        document.push(Break::new(0.4));

        let mut table = TableLayout::new(vec![3, 7]);
        for (label, value) in &ticket.rows {
            let row = table
                .row()
                .element(Paragraph::new(label.as_str()).styled(Style::new().bold()))
                .element(Paragraph::new(value.as_str()));
            row.push().map_err(|error| Error::Internal(format!("ticket table: {error}")))?;
        }
        document.push(table);
        document.push(Break::new(0.4));
        document.push(QrElement { code: ticket.qr.clone(), module: Mm::from(0.8 * scale) });
        document.push(Break::new(0.3));
        document.push(Paragraph::new(ticket.reminder.as_str()).styled(Style::new().bold()));
        document.push(Break::new(0.2));
        let mut footer = LinearLayout::vertical();
        footer.push(Paragraph::new(ticket.footer.as_str()).styled(Style::new().with_font_size(size(6.5))));
        document.push(footer);

        let mut bytes = Vec::with_capacity(64 * 1024);
        document.render(&mut bytes).map_err(|error| Error::Internal(format!("ticket PDF: {error}")))?;
        Ok(bytes)
    }
}

/// Draws the QR code centred, with the four-module quiet zone scanners need.
///
/// genpdf draws lines but no filled shapes, and its lines are one point
/// (0.35 mm) thick; four lines a module row, a quarter module apart,
/// overlap into solid bars.
struct QrElement {
    code: QrCode,
    module: Mm,
}

impl Element for QrElement {
    fn render(
        &mut self,
        _context: &genpdf::Context,
        area: genpdf::render::Area<'_>,
        _style: Style,
    ) -> Result<RenderResult, genpdf::error::Error> {
        let module = f64::from(self.module);
        let side = (self.code.width + 8) as f64 * module;
        let left = ((f64::from(area.size().width) - side) / 2.0).max(0.0) + 4.0 * module;
        let top = 4.0 * module;
        for (row, column, length) in self.code.dark_runs() {
            let x0 = left + column as f64 * module;
            let x1 = x0 + length as f64 * module;
            for stroke in 0..4 {
                let y = top + row as f64 * module + (stroke as f64 + 0.5) * module / 4.0;
                area.draw_line(vec![Position::new(x0, y), Position::new(x1, y)], Style::new());
            }
        }
        Ok(RenderResult { size: Size::new(area.size().width, Mm::from(side)), has_more: false })
    }
}
