//! The doctor's day list: the appointments still on a doctor's day as an A4
//! table, printed at the desk or saved as PDF. The layout is a pure function
//! of the server's list; the PDF uses the ticket's fonts.

use genpdf::elements::{Break, FrameCellDecorator, Paragraph, TableLayout};
use genpdf::style::Style;
use genpdf::{Element, Size};

use crate::api::desk::{BoardState, DayList};
use crate::calendar::{clinic_instant, clinic_time_of_day, long_date};
use crate::ticket::TicketRenderer;
use crate::Error;

/// The columns of the table, in order.
pub const COLUMNS: [&str; 6] = ["Время", "Талон", "Пациент", "Дата рождения", "Услуга", "Отметка"];

/// Everything the printed list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DayListLayout {
    pub title: String,
    pub doctor: String,
    pub clinic: String,
    pub date: String,
    pub rows: Vec<[String; 6]>,
    pub total: String,
}

/// Lays `list` out in the clinic's `zone`.
pub fn layout(list: &DayList, zone: chrono_tz::Tz) -> DayListLayout {
    let rows: Vec<[String; 6]> = list
        .entries
        .iter()
        .map(|entry| {
            [
                clinic_time_of_day(&clinic_instant(entry.starts_at, zone)),
                entry.ticket.clone(),
                entry.patient.clone(),
                entry.birth_date.format("%d.%m.%Y").to_string(),
                entry.service.clone(),
                match entry.state {
                    BoardState::Arrived => "пришёл",
                    BoardState::NoShow => "не явился",
                    _ => "",
                }
                .to_owned(),
            ]
        })
        .collect();
    DayListLayout {
        title: "Список записанных на приём".to_owned(),
        doctor: format!("{}, {}", list.doctor, list.position),
        clinic: list.clinic.clone(),
        date: long_date(list.date),
        total: match rows.len() {
            0 => "Записей на этот день нет.".to_owned(),
            count => format!("Всего записей: {count}"),
        },
        rows,
    }
}

/// The file a saved list is suggested as: ASCII, so that every file system
/// and mail program keeps it.
pub fn file_name(list: &DayList) -> String {
    format!("day-list-doctor-{}-{}.pdf", list.doctor_id, list.date)
}

/// The list as an A4 PDF.
pub fn render(renderer: &TicketRenderer, list: &DayListLayout) -> Result<Vec<u8>, Error> {
    let mut document = genpdf::Document::new(renderer.fonts());
    document.set_title("Day list");
    document.set_paper_size(Size::new(210, 297));
    document.set_minimal_conformance();
    document.set_font_size(10);
    document.set_line_spacing(1.15);
    let mut decorator = genpdf::SimplePageDecorator::new();
    decorator.set_margins(genpdf::Margins::trbl(14, 12, 14, 14));
    document.set_page_decorator(decorator);

    document.push(Paragraph::new(list.title.as_str()).styled(Style::new().bold().with_font_size(15)));
    document.push(Paragraph::new(list.doctor.as_str()).styled(Style::new().bold()));
    document.push(Paragraph::new(list.clinic.as_str()));
    document.push(Paragraph::new(list.date.as_str()));
    document.push(Break::new(0.8));

    let mut table = TableLayout::new(vec![2, 2, 6, 3, 6, 2]);
    table.set_cell_decorator(FrameCellDecorator::new(true, true, false));
    let mut header = table.row();
    for column in COLUMNS {
        header = header.element(Paragraph::new(column).styled(Style::new().bold()).padded(1));
    }
    header.push().map_err(|error| Error::Internal(format!("day list table: {error}")))?;
    for row in &list.rows {
        let mut line = table.row();
        for cell in row {
            line = line.element(Paragraph::new(cell.as_str()).padded(1));
        }
        line.push().map_err(|error| Error::Internal(format!("day list table: {error}")))?;
    }
    document.push(table);
    document.push(Break::new(0.8));
    document.push(Paragraph::new(list.total.as_str()));

    let mut bytes = Vec::with_capacity(64 * 1024);
    document.render(&mut bytes).map_err(|error| Error::Internal(format!("day list PDF: {error}")))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::desk::DayListEntry;
    use chrono::NaiveDate;

    fn list() -> DayList {
        DayList {
            doctor_id: 7,
            doctor: "Акимова Ирина Андреевна".to_owned(),
            position: "врач-кардиолог".to_owned(),
            clinic: "Поликлиника № 1".to_owned(),
            date: NaiveDate::from_ymd_opt(2026, 12, 2).expect("date"),
            entries: vec![DayListEntry {
                // 09:15 in Kaluga (UTC+3).
                starts_at: 1_796_192_100,
                ticket: "5512792".to_owned(),
                patient: "Иванова Анна Петровна".to_owned(),
                birth_date: NaiveDate::from_ymd_opt(1950, 3, 8).expect("date"),
                service: "Приём кардиолога".to_owned(),
                state: BoardState::Arrived,
            }],
        }
    }

    #[test]
    fn a_row_is_the_time_ticket_patient_and_mark_as_the_clinic_reads_them() {
        let laid = layout(&list(), crate::region::KALUGA.time_zone);
        assert_eq!(laid.rows, [["09:15", "5512792", "Иванова Анна Петровна", "08.03.1950", "Приём кардиолога", "пришёл"].map(str::to_owned)]);
        assert_eq!(laid.total, "Всего записей: 1");
        assert_eq!(laid.doctor, "Акимова Ирина Андреевна, врач-кардиолог");
        assert_eq!(file_name(&list()), "day-list-doctor-7-2026-12-02.pdf");
    }

    #[test]
    fn the_list_renders_as_one_a4_page_with_the_patient_on_it() {
        let renderer = TicketRenderer::new().expect("fonts");
        let pdf = render(&renderer, &layout(&list(), crate::region::KALUGA.time_zone)).expect("pdf");
        assert!(pdf.starts_with(b"%PDF"));
        // A4 is 595 × 842 points.
        let text = String::from_utf8_lossy(&pdf);
        assert!(text.contains("595.2") || text.contains("595.27"), "an A4 MediaBox");
    }
}
