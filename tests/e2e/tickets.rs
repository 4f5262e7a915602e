//! Portal steps 13–16: «Записи на приём», «Отменить эту запись», and the
//! ticket printed silently to the session's CUPS printer.

use std::time::{Duration, Instant};

use crate::booking::{book_elsewhere, book_through_the_wizard, service_of_slot};
use crate::driver::{keys, AppSession, PATIENCE};
use crate::login::sign_in;
use crate::portal::app_on_portal;

/// A signed-in patient who has booked through the wizard, on «Записи на
/// приём»: the portal, the app, the booked slot, its ticket and service, and
/// the CSS selector of its card.
async fn booked_and_listed() -> (crate::portal::Portal, AppSession, i64, String, i64, String) {
    let (profile, portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    let (slot_id, ticket) = book_through_the_wizard(&app).await;
    let service_id = service_of_slot(&portal, slot_id).await;
    app.click("to-start").await;
    app.click("appointments-button").await;
    app.wait_until("the list", "document.body.dataset.panel === 'appointments' && document.body.dataset.busy === 'false'").await;
    let card = format!("[data-testid='appointment'][data-ticket='{ticket}']");
    (portal, app, slot_id, ticket, service_id, card)
}

#[tokio::test]
async fn cancelling_from_the_list_frees_the_slot_for_another_patient() {
    let (portal, app, slot_id, ticket, service_id, card) = booked_and_listed().await;
    assert_eq!(app.attr_of(&card, "data-status").await, "booked");
    app.click_css(&format!("{card} [data-testid='cancel-appointment']")).await;
    // The confirmation names the appointment before anything happens.
    let question = app.text_of("cancel-question").await;
    let time = app.text_of_css(&format!("{card} [data-testid='appointment-time']")).await;
    let time = time.rsplit(char::is_whitespace).next().unwrap_or_default().to_owned();
    assert!(question.starts_with("Отменить запись") && question.contains(&time), "{question} / {time}");
    app.click("cancel-confirm").await;
    app.wait_until(
        "the list shows it cancelled",
        &format!("document.querySelector(\"{}\")?.dataset.status === 'cancelled_by_patient'", card.replace('"', "\\\"")),
    )
    .await;
    let status = app.text_of("appointments-status").await;
    assert!(status.contains(&ticket), "{status}");

    // The slot is free at once: another patient books it.
    book_elsewhere(&portal, 3, slot_id, service_id).await;
    app.close().await;
}

// A lobby kiosk left alone on «Записи на приём» warns in its last 15
// seconds, a key press holds it back, and once left alone again it returns
// to the start and signs out: the next person does not see the list.
#[tokio::test]
async fn a_kiosk_left_alone_returns_to_the_start_and_signs_out() {
    let (profile, _portal, app) = app_on_portal(Some(r#"{"kiosk_sign_out": true, "kiosk_idle_seconds": 30}"#)).await;
    sign_in(&app, &profile).await;
    app.click("appointments-button").await;
    app.wait_until("the list", "document.body.dataset.panel === 'appointments' && document.body.dataset.busy === 'false'").await;
    let warned = "!document.querySelector(\"[data-testid='idle-warning']\").hidden";

    app.wait_until("the idle warning", warned).await;
    let warning = app.text_of("idle-warning").await;
    assert!(warning.contains("вернёмся к началу и выйдем из личного кабинета"), "{warning}");
    app.press(keys::SHIFT).await;
    app.wait_until("the warning gone after a key", &format!("!({warned})")).await;
    assert_eq!(app.attr_of("body", "data-panel").await, "appointments");

    app.wait_until("the idle warning again", warned).await;
    app.wait_until(
        "the start screen, signed out",
        "document.body.dataset.panel === 'start' && document.body.dataset.session === 'signed-out'",
    )
    .await;
    assert_eq!(app.text_of("notice").await, "Экраном долго не пользовались: мы вернулись к началу и вышли из личного кабинета.");
    assert!(app.client.find(fantoccini::Locator::Css("[data-testid='appointment']")).await.is_err(), "the list is gone");
    app.close().await;
}

#[tokio::test]
async fn silent_printing_sends_the_ticket_to_the_named_printer() {
    let printer = std::env::var("REGISTRATURA_TEST_PRINTER").expect("the desktop session's printer");
    let prints = std::path::PathBuf::from(std::env::var("REGISTRATURA_TEST_PRINTS").expect("the printer's folder"));
    let preferences = serde_json::json!({ "silent_printer": printer, "exit_countdown_seconds": 120 }).to_string();
    let (profile, _portal, app) = app_on_portal(Some(&preferences)).await;
    sign_in(&app, &profile).await;
    let (_, ticket) = book_through_the_wizard(&app).await;

    app.click("print-ticket").await;
    let printed = wait_for_print(&prints, &ticket).await;
    // cups-pdf passes the job through Ghostscript, which drops the text's
    // Unicode map; the page is read back as the reception desk's scanner
    // would: the QR code on it must be this ticket's number.
    let info = std::process::Command::new("pdfinfo").arg(&printed).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Pages:           1\n"), "{info}");
    assert_eq!(scan_qr(&printed), ticket, "the printed ticket's QR code");
    let said = app.text_of("wizard-status").await;
    assert!(said.contains(&printer), "{said}");

    // A printer that does not exist is a clear message, not a silent loss.
    app.close().await;
    std::fs::write(profile.config_dir().join("preferences.json"), r#"{"silent_printer": "No_Such_Printer"}"#).expect("preferences");
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    app.click("appointments-button").await;
    app.wait_until("the list", "document.body.dataset.panel === 'appointments' && document.body.dataset.busy === 'false'").await;
    app.click_css(&format!("[data-testid='appointment'][data-ticket='{ticket}'] [data-testid='print-ticket']")).await;
    app.wait_until("the missing printer is named", "(document.querySelector(\"[data-testid='appointments-error']\")?.textContent || '').includes('No_Such_Printer')").await;
    app.close().await;
}

/// The content of the one QR code on the PDF's first page.
pub(crate) fn scan_qr(pdf: &std::path::Path) -> String {
    let page = pdf.with_file_name("scanned-page");
    let status = std::process::Command::new("pdftoppm")
        .args(["-gray", "-r", "200", "-singlefile"])
        .arg(pdf)
        .arg(&page)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    let pgm = std::fs::read(pdf.with_file_name("scanned-page.pgm")).expect("the page as PGM");
    // A binary PGM: "P5", width, height, maximum, then one byte a pixel.
    let mut header = pgm.split(|b| b.is_ascii_whitespace()).filter(|field| !field.is_empty());
    let fields: Vec<usize> = header.by_ref().skip(1).take(3).map(|f| String::from_utf8_lossy(f).parse().expect("a number")).collect();
    let (width, height) = (fields[0], fields[1]);
    let pixels = &pgm[pgm.len() - width * height..];
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| pixels[y * width + x]);
    let grids = image.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the printed ticket");
    grids[0].decode().expect("the code decodes").1
}

/// The PDFs in cups-pdf's folder.
fn pdfs_in(folder: &std::path::Path) -> Vec<std::path::PathBuf> {
    let entries = std::fs::read_dir(folder).into_iter().flatten().flatten().map(|entry| entry.path());
    entries.filter(|path| path.extension().is_some_and(|e| e == "pdf")).collect()
}

/// The PDF cups-pdf writes next, beside those of `before`.
async fn wait_for_new_pdf(folder: &std::path::Path, before: &[std::path::PathBuf]) -> std::path::PathBuf {
    let started = Instant::now();
    loop {
        if let Some(path) = pdfs_in(folder).into_iter().find(|path| !before.contains(path)) {
            // cups-pdf writes the file in place; wait until it is whole.
            tokio::time::sleep(Duration::from_millis(500)).await;
            return path;
        }
        assert!(started.elapsed() < PATIENCE, "nothing printed into {}", folder.display());
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The PDF cups-pdf wrote for the job titled after `ticket`.
pub(crate) async fn wait_for_print(folder: &std::path::Path, ticket: &str) -> std::path::PathBuf {
    let started = Instant::now();
    loop {
        let found = std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path())
            .find(|path| path.to_string_lossy().contains(ticket) && path.extension().is_some_and(|e| e == "pdf"));
        if let Some(path) = found {
            // cups-pdf writes the file in place; wait until it is whole.
            tokio::time::sleep(Duration::from_millis(500)).await;
            return path;
        }
        assert!(started.elapsed() < PATIENCE, "no PDF for ticket {ticket} in {}: {:?}", folder.display(), pdfs_in(folder));
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn print_opens_the_systems_print_dialog_which_cancels_and_prints() {
    let prints = std::path::PathBuf::from(std::env::var("REGISTRATURA_TEST_PRINTS").expect("the printer's folder"));
    let (profile, _portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    let (_, ticket) = book_through_the_wizard(&app).await;

    // With no silent printer set, «Печать талона» opens GTK's print dialog:
    // a second top-level window. WebDriver cannot see it; the X server can,
    // and xdotool types into it as a person would.
    let dialog = open_print_dialog(&app).await;
    if let Some(folder) = std::env::var_os("REGISTRATURA_E2E_SCREENSHOTS") {
        // The whole X screen, dialog included, for a person to look at.
        let target = std::path::PathBuf::from(folder).join("print-dialog.png");
        let _ = std::process::Command::new("import").args(["-window", "root"]).arg(target).status();
    }
    // Escape cancels: nothing is printed and the button is ready again.
    press_in_window(&dialog, "Escape");
    app.wait_until("the print button is back", "document.querySelector(\"[data-testid='print-ticket']\").disabled === false").await;
    assert!(!top_level_windows().iter().any(|w| w.0 == dialog), "the dialog closed");

    // Enter prints to the selected printer (the session's cups-pdf queue,
    // the default): the webview's own print of the ticket's print page, the
    // path Windows and macOS take too. The PDF cups-pdf writes is on A6,
    // and its first page's QR code is this ticket's number.
    let dialog = open_print_dialog(&app).await;
    // The Print button is enabled once GTK has read the printer's options.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let before = pdfs_in(&prints);
    press_in_window(&dialog, "Return");
    // WebKitGTK names the job itself («registratura job #1»): the new PDF
    // is this ticket's if its QR code says so.
    let printed = wait_for_new_pdf(&prints, &before).await;
    assert_eq!(scan_qr(&printed), ticket, "the ticket printed from the dialog");
    let info = std::process::Command::new("pdfinfo").arg(&printed).output().expect("pdfinfo");
    let info = String::from_utf8_lossy(&info.stdout);
    // One sheet, on A6.
    assert!(info.contains("Page size:       297.") && info.contains(" x 419."), "an A6 page: {info}");
    assert!(info.lines().any(|line| line.split_whitespace().collect::<Vec<_>>() == ["Pages:", "1"]), "one sheet: {info}");
    let sheet = app.text_of_css("#print-sheet .print-sheet__number").await;
    assert_eq!(sheet, "", "the print page is never on screen");
    app.wait_until("the print page is this ticket", &format!("document.querySelector('#print-sheet .print-sheet__number').textContent === '{ticket}'")).await;
    app.close().await;
}

async fn open_print_dialog(app: &AppSession) -> String {
    let before = top_level_windows();
    app.click("print-ticket").await;
    let started = Instant::now();
    loop {
        let now = top_level_windows();
        if let Some(window) = now.iter().find(|w| !before.contains(w) && (w.1.contains("Print") || w.1.contains("Печать"))) {
            return window.0.clone();
        }
        assert!(started.elapsed() < PATIENCE, "no print dialog appeared; windows: {now:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

fn press_in_window(window: &str, key: &str) {
    let status = std::process::Command::new("xdotool")
        .args(["windowfocus", "--sync", window, "key", "--clearmodifiers", key])
        .status()
        .expect("xdotool (installed by scripts/setup)");
    assert!(status.success(), "xdotool could not press {key}");
}

/// The X server's named top-level windows as (id, name).
fn top_level_windows() -> Vec<(String, String)> {
    let output = std::process::Command::new("xwininfo").args(["-root", "-children"]).output().expect("xwininfo (x11-utils)");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let id = line.split_whitespace().next()?.to_owned();
            let name = line.split('"').nth(1)?.to_owned();
            id.starts_with("0x").then_some((id, name))
        })
        .collect()
}

#[tokio::test]
async fn the_ticket_and_the_calendar_file_are_saved_where_the_person_chooses() {
    let (profile, _portal, app) = app_on_portal(None).await;
    sign_in(&app, &profile).await;
    let (_, ticket) = book_through_the_wizard(&app).await;
    let folder = profile.home.join("chosen");
    std::fs::create_dir_all(&folder).expect("a folder to save into");

    // «Сохранить PDF»: GTK's save dialog; the person types where to save.
    let pdf = folder.join("my-ticket.pdf");
    save_through_the_dialog(&app, "save-pdf", "Сохранить талон", &pdf).await;
    let text = std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext");
    assert!(String::from_utf8_lossy(&text.stdout).contains(&ticket), "the saved PDF is this ticket");

    // «Добавить в календарь»: an .ics in the clinic's zone with a reminder.
    let ics = folder.join("my-appointment.ics");
    save_through_the_dialog(&app, "add-to-calendar", "Сохранить запись для календаря", &ics).await;
    let calendar = std::fs::read_to_string(&ics).expect("the .ics");
    assert!(calendar.contains("DTSTART;TZID=Europe/Moscow:") && calendar.contains("TRIGGER:-P1D"), "{calendar}");
    assert!(calendar.contains(&ticket));

    // Nothing else was written: only the two files the person chose.
    let written: Vec<_> = std::fs::read_dir(&folder).expect("folder").flatten().map(|entry| entry.file_name()).collect();
    assert_eq!(written.len(), 2, "{written:?}");
    app.close().await;
}

/// Presses `button`, types `path` into the save dialog titled `title`, and
/// waits until the page says the file was saved under that name.
async fn save_through_the_dialog(app: &AppSession, button: &str, title: &str, path: &std::path::Path) {
    let before = top_level_windows();
    app.click(button).await;
    let dialog = wait_for_window(&before, title).await;
    type_path_and_save(&dialog, path);
    let name = path.file_name().and_then(|name| name.to_str()).expect("a file name");
    app.wait_until(
        &format!("{name} is saved"),
        &format!("(document.querySelector(\"[data-testid='wizard-status']\")?.textContent || '').includes('{name}')"),
    )
    .await;
}

async fn wait_for_window(before: &[(String, String)], title: &str) -> String {
    let started = Instant::now();
    loop {
        let now = top_level_windows();
        if let Some(window) = now.iter().find(|w| !before.contains(w) && w.1 == title) {
            return window.0.clone();
        }
        assert!(started.elapsed() < PATIENCE, "no window {title:?}; windows: {now:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Types a full path into a GTK save dialog's name field and presses Enter.
fn type_path_and_save(dialog: &str, path: &std::path::Path) {
    // GTK fills in the file chooser a moment after the window maps.
    std::thread::sleep(Duration::from_millis(700));
    press_in_window(dialog, "ctrl+a");
    let status = std::process::Command::new("xdotool")
        .args(["type", "--delay", "20", &path.display().to_string()])
        .status()
        .expect("xdotool");
    assert!(status.success());
    press_in_window(dialog, "Return");
}

#[tokio::test]
async fn moving_from_the_list_takes_the_new_time_frees_the_old_and_says_it_was_moved() {
    let (portal, app, slot_id, ticket, service_id, card) = booked_and_listed().await;
    app.click_css(&format!("{card} [data-testid='move-appointment']")).await;
    // The same doctor's month opens on the appointment's own month.
    app.wait_until("the move calendar", "document.querySelector(\"[data-testid='move-panel'] [data-testid='calendar'] [data-date]\") && document.body.dataset.busy === 'false'").await;
    app.click_css("[data-testid='move-panel'] [data-date][data-status='available']").await;
    app.wait_until("the day's times", "document.querySelector(\"[data-testid='move-slots'] [data-testid='slot'][data-status='free']\") && document.body.dataset.busy === 'false'").await;
    let new_slot: i64 = app.attr_of("[data-testid='move-slots'] [data-testid='slot'][data-status='free']", "data-slot-id").await.parse().expect("a slot id");
    app.click_css("[data-testid='move-slots'] [data-testid='slot'][data-status='free']").await;
    let question = app.text_of("move-question").await;
    assert!(question.starts_with("Перенести запись на"), "{question}");
    app.click("move-confirm").await;
    app.wait_until(
        "the list shows the moved appointment",
        &format!("document.querySelector(\"{}\") && document.querySelector(\"{} [data-testid='appointment-moved']\")", card.replace('"', "\\\""), card.replace('"', "\\\"")),
    )
    .await;
    let status = app.text_of("appointments-status").await;
    assert!(status.starts_with("Запись перенесена") && status.contains(&ticket), "{status}");

    let mut db = portal.database().await;
    let (now_slot,): (i64,) = sqlx::query_as("SELECT slot_id FROM appointment WHERE ticket = ?").bind(ticket.parse::<i64>().expect("digits")).fetch_one(&mut db).await.expect("the appointment");
    assert_eq!(now_slot, new_slot, "the appointment holds the new time");
    // The old time is free at once: another patient books it.
    book_elsewhere(&portal, 3, slot_id, service_id).await;
    app.close().await;
}
