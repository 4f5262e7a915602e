//! The smallest Tauri 2 window: the baseline our own window is measured
//! against. It reports when its page has loaded in the same words as the app.

fn main() {
    tauri::Builder::default()
        .on_page_load(|_, payload| {
            if matches!(payload.event(), tauri::webview::PageLoadEvent::Finished) {
                let since_epoch = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|elapsed| elapsed.as_millis())
                    .unwrap_or_default();
                eprintln!("page loaded at_unix_ms={since_epoch}");
            }
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| eprintln!("blank-window: {error}"));
}
