//! «Печать талона» (and the desk's day list) through the operating system's
//! print dialog, printing the very PDF that «Сохранить PDF» saves.
//!
//! Linux: GTK's print dialog (it lists the CUPS printers); each page of the
//! ticket's PDF is drawn onto the printer's cairo surface by poppler. The
//! dialog is modal and runs on the GTK main thread.
//!
//! Windows and macOS: not built yet — see docs/printing.md. There the call
//! answers `print_failed`, and the UI offers «Сохранить PDF» instead.

use registratura_core::printing::Sheet;
use tauri::{AppHandle, WebviewWindow};

use crate::error::CommandError;

/// Shows the print dialog for `pdf`; true when the person printed.
#[cfg(target_os = "linux")]
pub async fn show(app: &AppHandle, window: WebviewWindow, pdf: Vec<u8>, job: String, sheet: Sheet) -> Result<bool, CommandError> {
    let (done, answer) = tokio::sync::oneshot::channel();
    app.run_on_main_thread(move || {
        let _ = done.send(linux::run(&window, pdf, &job, sheet));
    })
    .map_err(|error| CommandError::internal(format!("the main thread: {error}")))?;
    let outcome = answer.await.map_err(|_| CommandError::internal("the print dialog vanished".to_owned()))?;
    outcome.map_err(|problem| registratura_core::Error::PrintFailed(problem).into())
}

/// Shows the print dialog for `pdf`; not available on this system yet.
#[cfg(not(target_os = "linux"))]
pub async fn show(_app: &AppHandle, _window: WebviewWindow, _pdf: Vec<u8>, _job: String, _sheet: Sheet) -> Result<bool, CommandError> {
    Err(registratura_core::Error::PrintFailed("no print dialog on this system yet".to_owned()).into())
}

#[cfg(target_os = "linux")]
mod linux {
    use gtk::prelude::*;
    use registratura_core::printing::Sheet;

    pub fn run(window: &tauri::WebviewWindow, pdf: Vec<u8>, job: &str, sheet: Sheet) -> Result<bool, String> {
        let parent = window.gtk_window().map_err(|error| error.to_string())?;
        let bytes = gtk::glib::Bytes::from_owned(pdf);
        let document = poppler::Document::from_bytes(&bytes, None).map_err(|error| error.to_string())?;
        let operation = gtk::PrintOperation::new();
        operation.set_job_name(job);
        operation.set_n_pages(document.n_pages());
        operation.set_unit(gtk::Unit::Points);
        operation.set_embed_page_setup(true);
        let setup = gtk::PageSetup::new();
        setup.set_paper_size(&gtk::PaperSize::new(Some(sheet.pwg_name())));
        operation.set_default_page_setup(Some(&setup));
        operation.connect_draw_page(move |_, context, number| {
            if let (Some(page), Some(cairo)) = (document.page(number), context.cairo_context()) {
                page.render_for_printing(&cairo);
            }
        });
        match operation.run(gtk::PrintOperationAction::PrintDialog, Some(&parent)) {
            Ok(gtk::PrintOperationResult::Apply) => Ok(true),
            Ok(_) => Ok(false),
            Err(error) => Err(error.to_string()),
        }
    }
}
