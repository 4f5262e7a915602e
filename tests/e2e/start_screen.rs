//! The first thing a patient sees.

use chrono::Utc;
use registratura_core::{calendar, region};

use crate::driver::AppSession;

#[tokio::test]
async fn start_screen_shows_the_product_and_facts_from_rust() {
    let date_before = calendar::long_date(calendar::clinic_date(Utc::now(), region::KALUGA.time_zone));
    let app = AppSession::launch().await;
    app.wait_until_ready().await;

    assert_eq!(app.client.title().await.expect("title"), "Регистратура");
    assert_eq!(app.text_of("start-heading").await, "Запись на приём к врачу");
    assert_eq!(app.text_of("region-name").await, "Калужская область");
    assert_eq!(app.text_of("account-button").await, "Личный кабинет");

    // These come from the `app_info` command, so the IPC round trip, the
    // embedded server and the clinic calendar all had to work. The UI
    // writes the date itself: it must write it as the core does on paper
    // (the day list) and the two must not drift apart.
    assert_eq!(app.text_of("app-version").await, env!("CARGO_PKG_VERSION"));
    let date_after = calendar::long_date(calendar::clinic_date(Utc::now(), region::KALUGA.time_zone));
    let today = app.text_of("today").await;
    assert!(today == date_before || today == date_after, "today shows {today:?}");
    assert_eq!(
        app.text_of("portal-status").await,
        "демонстрационный, работает на этом компьютере, на связи"
    );
    let ready = app
        .client
        .find(fantoccini::Locator::Css("body"))
        .await
        .expect("body")
        .attr("data-ready")
        .await
        .expect("attribute");
    assert_eq!(ready.as_deref(), Some("true"));

    app.close().await;
}

#[tokio::test]
async fn personal_account_button_sits_at_the_top_right() {
    let app = AppSession::launch().await;
    app.wait_until_ready().await;
    let window = app.client.get_window_rect().await.expect("window rect");
    let button = app
        .client
        .find(fantoccini::Locator::Css("[data-testid='account-button']"))
        .await
        .expect("account button");
    let (x, y, width, height) = button.rectangle().await.expect("button rect");
    assert!(x + width > window.2 as f64 * 0.75, "button starts at x={x}, window width {}", window.2);
    assert!(y < 120.0, "button is {y}px from the top");
    assert!(height >= 44.0, "a target of {height}px is too small for a kiosk");
    app.close().await;
}

// «Настройки»: the kiosk's idle time is checked before it is saved, and a
// save keeps what the form does not show (the ticket's paper, set by hand).
#[tokio::test]
async fn settings_check_the_kiosk_idle_time_and_keep_the_paper() {
    let profile = crate::driver::Profile::new();
    std::fs::create_dir_all(profile.config_dir()).expect("config folder");
    let file = profile.config_dir().join("preferences.json");
    std::fs::write(&file, r#"{"paper": "a5"}"#).expect("preferences");
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    app.click("settings-button").await;
    app.wait_until("the form", "document.querySelector(\"[data-testid='setting-idle']\") && document.body.dataset.busy === 'false'").await;
    let shown = app.client.execute("return document.querySelector(\"[data-testid='setting-idle']\").value;", vec![]).await.expect("value");
    assert_eq!(shown, serde_json::json!("120"));

    app.client.execute("document.querySelector(\"[data-testid='setting-idle']\").value = '';", vec![]).await.expect("clear");
    app.type_into("setting-idle", "10").await;
    app.click("settings-save").await;
    app.wait_for_text("setting-idle-error", "Время без действий — от 30 до 1800 секунд.").await;
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("file")).expect("json");
    assert_eq!(saved, serde_json::json!({"paper": "a5"}), "nothing saved while a field is wrong");

    app.client.execute("document.querySelector(\"[data-testid='setting-idle']\").value = '';", vec![]).await.expect("clear");
    app.type_into("setting-idle", "90").await;
    app.click("settings-save").await;
    app.wait_for_text("settings-status", "Настройки сохранены.").await;
    let saved: serde_json::Value = serde_json::from_slice(&std::fs::read(&file).expect("file")).expect("json");
    assert_eq!((saved["kiosk_idle_seconds"].as_u64(), saved["paper"].as_str()), (Some(90), Some("a5")), "{saved}");
    app.close().await;
}
