//! Printing through the operating system's print dialog, two ways.
//!
//! [`print_page`] is «Печать талона» on every system: the webview prints
//! its own page, which the UI has drawn from the ticket's layout with an
//! `@page` of the ticket's paper. Windows and macOS run Tauri's `print()`
//! (WebView2's and WKWebView's printing). Linux runs WebKitGTK's print
//! operation itself rather than wry's `print()`, which opens the dialog
//! without a parent, on the printer's default paper, and does not say
//! whether anything was printed; the page printed is the same.
//!
//! [`show`] prints a PDF (the desk's day list and the desk's tickets when
//! no silent printer is set): on Linux GTK's print dialog, with each page
//! drawn onto the printer's cairo surface by poppler; elsewhere it answers
//! `print_failed` (docs/printing.md).

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

/// Prints the window's page through the print dialog, starting on `sheet`:
/// `Some(false)` when the person cancelled; `None` where the webview does
/// not tell.
#[cfg(target_os = "linux")]
pub async fn print_page(window: WebviewWindow, sheet: Sheet) -> Result<Option<bool>, CommandError> {
    let (done, answer) = tokio::sync::oneshot::channel();
    window
        .with_webview(move |webview| linux::print_webview(&webview.inner(), sheet, done))
        .map_err(|error| CommandError::internal(format!("the webview: {error}")))?;
    let outcome = answer.await.map_err(|_| CommandError::internal("the print operation vanished".to_owned()))?;
    outcome.map(Some).map_err(|problem| registratura_core::Error::PrintFailed(problem).into())
}

/// Prints the window's page through the webview's own print dialog.
#[cfg(not(target_os = "linux"))]
pub async fn print_page(window: WebviewWindow, _sheet: Sheet) -> Result<Option<bool>, CommandError> {
    // WebView2 and WKWebView take the paper from the page's `@page` rule.
    window.print().map_err(|error| registratura_core::Error::PrintFailed(error.to_string()))?;
    Ok(None)
}

/// Prints the window's page straight to `printer`, with no dialog, on
/// `sheet` with no margins: true when WebView2 says it printed.
///
/// WebView2's `Print` (`ICoreWebView2_16`, WebView2 Runtime 1.0.1518 and
/// later) prints the page as the print media shows it, the same page the
/// dialog prints. Written against webview2-com 0.39, the version wry uses;
/// it is neither built nor run on the Linux machines the tests run on
/// (docs/printing.md).
#[cfg(windows)]
pub async fn print_page_silently(window: WebviewWindow, sheet: Sheet, printer: String) -> Result<bool, CommandError> {
    use std::sync::{Arc, Mutex};

    use webview2_com::Microsoft::Web::WebView2::Win32::{
        ICoreWebView2Environment6, ICoreWebView2PrintSettings2, ICoreWebView2_16, COREWEBVIEW2_PRINT_STATUS_SUCCEEDED,
    };
    use webview2_com::PrintCompletedHandler;
    use windows_core::{Interface, HSTRING};

    type Answer = tokio::sync::oneshot::Sender<Result<bool, String>>;
    let (done, answer) = tokio::sync::oneshot::channel();
    // Either the completion handler or a failure to start answers, once.
    let done: Arc<Mutex<Option<Answer>>> = Arc::new(Mutex::new(Some(done)));
    let reply = |done: &Arc<Mutex<Option<Answer>>>, outcome: Result<bool, String>| {
        if let Some(sender) = done.lock().ok().and_then(|mut slot| slot.take()) {
            let _ = sender.send(outcome);
        }
    };
    let handler_done = done.clone();
    window
        .with_webview(move |platform| {
            let started = (|| -> windows_core::Result<()> {
                // SAFETY: COM calls on the webview's own thread (with_webview
                // runs there), on interfaces the platform webview hands out.
                unsafe {
                    let webview: ICoreWebView2_16 = platform.controller().CoreWebView2()?.cast()?;
                    let environment: ICoreWebView2Environment6 = platform.environment().cast()?;
                    let settings = environment.CreatePrintSettings()?;
                    let (width, height) = sheet.size_mm();
                    // WebView2 measures the page in inches.
                    settings.SetPageWidth(width / 25.4)?;
                    settings.SetPageHeight(height / 25.4)?;
                    settings.SetMarginTop(0.0)?;
                    settings.SetMarginBottom(0.0)?;
                    settings.SetMarginLeft(0.0)?;
                    settings.SetMarginRight(0.0)?;
                    settings.SetShouldPrintHeaderAndFooter(false)?;
                    settings.SetShouldPrintBackgrounds(true)?;
                    let named: ICoreWebView2PrintSettings2 = settings.cast()?;
                    named.SetPrinterName(&HSTRING::from(printer.as_str()))?;
                    let handler = PrintCompletedHandler::create(Box::new(move |result, status| {
                        let outcome = result.map(|()| status == COREWEBVIEW2_PRINT_STATUS_SUCCEEDED).map_err(|error| error.to_string());
                        reply(&handler_done, outcome);
                        Ok(())
                    }));
                    webview.Print(&settings, &handler)
                }
            })();
            if let Err(error) = started {
                reply(&done, Err(error.to_string()));
            }
        })
        .map_err(|error| CommandError::internal(format!("the webview: {error}")))?;
    let outcome = answer.await.map_err(|_| CommandError::internal("the print operation vanished".to_owned()))?;
    match outcome {
        Ok(true) => Ok(true),
        Ok(false) => Err(registratura_core::Error::PrintFailed(format!("{printer} did not take the page")).into()),
        Err(problem) => Err(registratura_core::Error::PrintFailed(problem).into()),
    }
}

/// Silent printing of the page is for Windows, which cannot print a PDF
/// silently; elsewhere the ticket's PDF goes to the printer itself.
#[cfg(not(windows))]
pub async fn print_page_silently(_window: WebviewWindow, _sheet: Sheet, _printer: String) -> Result<bool, CommandError> {
    Err(CommandError::invalid_input("the print page is printed silently on Windows only".to_owned()))
}

#[cfg(target_os = "linux")]
mod linux {
    use gtk::prelude::*;
    use registratura_core::printing::Sheet;

    use std::cell::RefCell;
    use std::rc::Rc;
    use webkit2gtk::PrintOperationExt as _;
    use webkit2gtk::PrintOperationResponse;

    type Answer = tokio::sync::oneshot::Sender<Result<bool, String>>;

    /// Runs WebKitGTK's print dialog over `view`'s page, on the window and
    /// on `sheet`. The answer comes when the job has been handed to the
    /// print system (or failed), or at once when the person cancels.
    pub fn print_webview(view: &webkit2gtk::WebView, sheet: Sheet, done: Answer) {
        let operation = webkit2gtk::PrintOperation::new(view);
        let setup = gtk::PageSetup::new();
        setup.set_paper_size(&gtk::PaperSize::new(Some(sheet.pwg_name())));
        // The page's own `@page` margins place the ticket.
        for unit_margin in [gtk::PageSetup::set_top_margin, gtk::PageSetup::set_bottom_margin, gtk::PageSetup::set_left_margin, gtk::PageSetup::set_right_margin] {
            unit_margin(&setup, 0.0, gtk::Unit::Mm);
        }
        operation.set_page_setup(&setup);
        let done = Rc::new(RefCell::new(Some(done)));
        // The operation must live until it has finished printing, which is
        // after the dialog has closed; it is let go once it has.
        let alive = Rc::new(RefCell::new(Some(operation.clone())));
        let answer = {
            let (done, alive) = (done.clone(), alive.clone());
            move |outcome: Result<bool, String>| {
                if let Some(done) = done.borrow_mut().take() {
                    let _ = done.send(outcome);
                }
                alive.borrow_mut().take();
            }
        };
        let failed = answer.clone();
        operation.connect_failed(move |_, error| failed(Err(error.to_string())));
        let finished = answer.clone();
        operation.connect_finished(move |_| finished(Ok(true)));
        let parent = view.toplevel().and_then(|widget| widget.downcast::<gtk::Window>().ok());
        if operation.run_dialog(parent.as_ref()) != PrintOperationResponse::Print {
            answer(Ok(false));
        }
    }

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
