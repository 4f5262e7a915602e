//! The ticket (талон): what it says, as a pure function of the appointment,
//! and its PDF. The print dialog, silent printing and «Сохранить PDF» all
//! use the same PDF, so what is printed is what is saved.
//!
//! - [`layout`]: the ticket's content and geometry — testable without a PDF.
//! - `pdf.rs`: genpdf renders a layout with the embedded Noto Sans subset.
//! - `qr.rs`: the QR code of the ticket number for the reception desk.

mod pdf;
mod qr;

use serde::Serialize;

use crate::api::{Appointment, AppointmentDoctor, AppointmentStatus, Channel, Clinic, Service};

pub use pdf::TicketRenderer;
pub use qr::QrCode;

/// The paper a ticket is laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    /// 105 × 148 mm: a ticket printer's or a quarter of A4.
    #[default]
    A6,
    /// 148 × 210 mm: for those who print on half a sheet with larger type.
    A5,
}

impl Paper {
    /// Width and height in millimetres.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A6 => (105.0, 148.0),
            Paper::A5 => (148.0, 210.0),
        }
    }

    /// How much larger than on A6 everything is drawn.
    pub fn scale(self) -> f64 {
        match self {
            Paper::A6 => 1.0,
            Paper::A5 => 1.4,
        }
    }

}

/// Everything a ticket shows, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketLayout {
    pub paper: Paper,
    pub title: String,
    pub number: String,
    /// Label and value, as the portal's ticket has them.
    pub rows: Vec<(String, String)>,
    /// What to bring to the appointment.
    pub reminder: String,
    /// The ticket number as a QR code for the reception desk's scanner.
    pub qr: QrCode,
    /// Where the ticket came from, in small type.
    pub footer: String,
}

/// The ticket as the webview draws it to print it («Печать талона» on
/// every system): the layout's words, the paper's size in millimetres, and
/// the QR code as an SVG path. `ui/js/components/print-sheet.js` draws it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrintSheet {
    pub paper: Paper,
    pub width_mm: f64,
    pub height_mm: f64,
    /// How much larger than on A6 the type is.
    pub scale: f64,
    pub title: String,
    pub number: String,
    pub rows: Vec<(String, String)>,
    pub reminder: String,
    pub footer: String,
    /// The QR code's side in modules, without the quiet zone.
    pub qr_modules: usize,
    pub qr_path: String,
}

impl TicketLayout {
    /// The print page of this layout.
    pub fn print_sheet(&self) -> PrintSheet {
        let (width_mm, height_mm) = self.paper.size_mm();
        PrintSheet {
            paper: self.paper,
            width_mm,
            height_mm,
            scale: self.paper.scale(),
            title: self.title.clone(),
            number: self.number.clone(),
            rows: self.rows.clone(),
            reminder: self.reminder.clone(),
            footer: self.footer.clone(),
            qr_modules: self.qr.width,
            qr_path: self.qr.svg_path(),
        }
    }
}

/// The ticket of `appointment` on `paper`.
pub fn layout(appointment: &Appointment, paper: Paper) -> TicketLayout {
    let doctor = &appointment.doctor;
    let clinic = &appointment.clinic;
    let rows = vec![
        ("Талон:".to_owned(), appointment.ticket.clone()),
        ("Услуга:".to_owned(), format!("{} {}", appointment.service.code, appointment.service.name)),
        ("Клиника:".to_owned(), format!("{}, {}", clinic.name, clinic.address)),
        ("Врач:".to_owned(), format!("{}, {} ({})", doctor.full_name, doctor.position, doctor.basis)),
        ("Вас примут:".to_owned(), appointment.date.format("%d.%m.%Y").to_string()),
        ("Время приема:".to_owned(), appointment.time.clone()),
        ("Статус:".to_owned(), status_text(appointment.status).to_owned()),
    ];
    TicketLayout {
        paper,
        title: "Талон на приём к врачу".to_owned(),
        number: appointment.ticket.clone(),
        rows,
        reminder: "Возьмите с собой полис ОМС и документ, удостоверяющий личность. Время — по часам поликлиники.".to_owned(),
        qr: QrCode::encode(&appointment.ticket),
        footer: "Регистратура · Калужская область".to_owned(),
    }
}

/// The status as the ticket writes it.
pub fn status_text(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "Заявка подтверждена",
        AppointmentStatus::CancelledByPatient => "Отменена пациентом",
        AppointmentStatus::CancelledByClinic => "Отменена поликлиникой",
        AppointmentStatus::Fulfilled => "Приём состоялся",
        AppointmentStatus::NoShow => "Неявка",
    }
}

/// The file name offered when a ticket is saved, e.g. `talon-5512792.pdf`.
pub fn file_name(appointment: &Appointment, extension: &str) -> String {
    format!("talon-{}.{extension}", appointment.ticket)
}

/// The portal guide's own example ticket (талон 5512792), for tests, the
/// benchmark and previews; its time is 27 November 2026, 10:30.
pub fn sample() -> Appointment {
    let moscow = chrono::FixedOffset::east_opt(3 * 3600).expect("offset");
    let start = chrono::TimeZone::with_ymd_and_hms(&moscow, 2026, 11, 27, 10, 30, 0).single().expect("instant");
    Appointment {
        id: 42,
        ticket: "5512792".to_owned(),
        status: AppointmentStatus::Booked,
        channel: Channel::Internet,
        start,
        end: start + chrono::Duration::minutes(20),
        date: chrono::NaiveDate::from_ymd_opt(2026, 11, 27).expect("date"),
        time: "10:30".to_owned(),
        slot_id: 7,
        service: Service {
            id: 3,
            code: "B01.064.001".to_owned(),
            name: "Прием (осмотр, консультация) врача-стоматолога первичный".to_owned(),
            specialty: "Стоматология".to_owned(),
        },
        doctor: AppointmentDoctor {
            id: 5,
            full_name: "Захарова Софья Сергеевна".to_owned(),
            position: "врач-стоматолог".to_owned(),
            basis: "прием по полису ОМС".to_owned(),
        },
        clinic: Clinic {
            id: 2,
            organization_id: 1,
            name: "ГАУЗ КО «Стоматологическая поликлиника»".to_owned(),
            address: "г. Калуга, ул. Плеханова, д. 33".to_owned(),
            phone: "+7 4842 00-00-00".to_owned(),
        },
        organization_name: "ГАУЗ КО «Калужская областная клиническая стоматологическая поликлиника»".to_owned(),
        consent_version: "2026-11-01".to_owned(),
        consented_at: start - chrono::Duration::days(1),
        phone: None,
        created_at: start - chrono::Duration::days(1),
        moved_at: None,
    }
}

#[cfg(test)]
pub(crate) mod tests;
