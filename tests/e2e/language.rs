//! The UI in English beside Russian: picked from the OS's locale, switched
//! in «Настройки», and both dictionaries of every screen alike in shape.

use chrono::Utc;
use registratura_core::{calendar, region};

use crate::driver::{AppSession, Profile};

/// A profile whose OS asks for British English first.
fn english_profile(mode: Option<&str>) -> Profile {
    let mut extra_env = vec![("LANGUAGE".to_owned(), "en_GB:en".to_owned())];
    if let Some(mode) = mode {
        extra_env.push(("REGISTRATURA_MODE".to_owned(), mode.to_owned()));
    }
    Profile { extra_env, ..Profile::new() }
}

/// Compares, inside the real window, the shape of each Russian dictionary
/// with its English one: the same keys at every depth, functions taking the
/// same number of arguments, lists of the same length. Then every
/// `data-text` key of each page (index, desk, kiosk; given as the script's
/// argument) must name words in both.
const COMPARE_DICTIONARIES: &str = r#"
const done = arguments[arguments.length - 1];
(async () => {
  const { dictionaries, lookup } = await import("./js/i18n/index.js");
  const shape = (value, path, out) => {
    if (typeof value === "function") out.push(`${path}(${value.length})`);
    else if (Array.isArray(value)) {
      out.push(`${path}[${value.length}]`);
      value.forEach((item, index) => shape(item, `${path}[${index}]`, out));
    } else if (value && typeof value === "object") {
      for (const key of Object.keys(value).sort()) shape(value[key], `${path}.${key}`, out);
    } else out.push(`${path}: ${typeof value}`);
    return out;
  };
  const problems = [];
  let compared = 0;
  for (const part of ["patient", "desk", "kiosk"]) {
    const ru = shape({ ...dictionaries.ru[part] }, part, []);
    const en = shape({ ...dictionaries.en[part] }, part, []);
    compared += ru.length;
    for (const entry of ru) if (!en.includes(entry)) problems.push(`only in Russian: ${entry}`);
    for (const entry of en) if (!ru.includes(entry)) problems.push(`only in English: ${entry}`);
  }
  // The pages' keys come from the test, read from the files: the page's
  // content security policy lets it fetch nothing.
  const pages = arguments[0];
  const names = { patient: "text", desk: "deskText", kiosk: "kioskText" };
  let keys = 0;
  for (const [page, part, wanted] of pages) {
    keys += wanted.length;
    for (const key of wanted) {
      for (const language of ["ru", "en"]) {
        if (typeof lookup(dictionaries[language][part][names[part]], key) !== "string") problems.push(`${page}: ${language} has no ${key}`);
      }
    }
  }
  return { problems, compared, keys };
})().then(done, (error) => done({ problems: [String(error)], compared: 0, keys: 0 }));
"#;

/// The `data-text` keys and the keys of `data-text-attrs` of a page in `ui/`.
fn text_keys(page: &str) -> Vec<String> {
    let html = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui").join(page)).expect("read the page");
    let mut keys = Vec::new();
    for (attribute, pairs) in [("data-text=\"", false), ("data-text-attrs=\"", true)] {
        for rest in html.split(attribute).skip(1) {
            let value = &rest[..rest.find('"').expect("a closed attribute")];
            if pairs {
                keys.extend(value.split_whitespace().filter_map(|pair| pair.split_once(':')).map(|(_, key)| key.to_owned()));
            } else {
                keys.push(value.to_owned());
            }
        }
    }
    keys
}

#[tokio::test]
async fn both_languages_have_the_same_words_for_every_screen() {
    let app = AppSession::launch().await;
    app.wait_until_ready().await;
    let pages: Vec<serde_json::Value> = [("index.html", "patient"), ("desk.html", "desk"), ("kiosk.html", "kiosk")]
        .into_iter()
        .map(|(page, part)| serde_json::json!([page, part, text_keys(page)]))
        .collect();
    let answer = app.client.execute_async(COMPARE_DICTIONARIES, vec![serde_json::json!(pages)]).await.expect("compare the dictionaries");
    assert_eq!(answer["problems"], serde_json::json!([]), "{answer}");
    // A comparison that found nothing to compare proves nothing.
    assert!(answer["compared"].as_u64().unwrap_or_default() > 300, "{answer}");
    assert!(answer["keys"].as_u64().unwrap_or_default() > 40, "{answer}");
    app.close().await;
}

#[tokio::test]
async fn the_os_locale_picks_english_with_its_dates() {
    let today = calendar::clinic_date(Utc::now(), region::KALUGA.time_zone);
    let app = AppSession::launch_profile(&english_profile(None)).await;
    app.wait_until_ready().await;

    assert_eq!(app.client.title().await.expect("title"), "Registratura");
    assert_eq!(app.attr_of("html", "lang").await, "en");
    assert_eq!(app.text_of("start-heading").await, "Book a doctor's appointment");
    assert_eq!(app.text_of("account-button").await, "My account");
    assert_eq!(app.text_of("appointments-button").await, "My appointments");
    assert_eq!(app.text_of("portal-status").await, "demonstration, running on this computer, connected");
    // chrono writes English names: the UI must write the same date, day first.
    let written = app.text_of("today").await;
    let expected = [today, today.succ_opt().expect("tomorrow")].map(|day| day.format("%A, %-d %B %Y").to_string());
    assert!(expected.contains(&written), "today shows {written:?}, expected one of {expected:?}");
    // Nothing Russian is left on the start screen but the region's name (data).
    let russian = app
        .client
        .execute(
            "const region = document.getElementById('region-name').textContent;\
             return [...document.body.innerText.matchAll(/[А-Яа-яЁё][А-Яа-яЁё .,—-]*/g)].map((m) => m[0].trim()).filter((w) => !region.includes(w) && w !== 'Русский');",
            vec![],
        )
        .await
        .expect("Russian words");
    assert_eq!(russian, serde_json::json!([]));

    app.click("book-button").await;
    app.wait_for_step("organization").await;
    assert_eq!(app.text_of("step-heading").await, "Choose a medical organisation");
    app.close().await;
}

#[tokio::test]
async fn the_language_is_switched_in_settings_and_kept() {
    let profile = Profile::new();
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    assert_eq!(app.text_of("start-heading").await, "Запись на приём к врачу");
    app.click("settings-button").await;
    app.wait_until("the form", "document.querySelector(\"[data-testid='setting-language-system']\")?.checked").await;
    // Each language is named in its own tongue, and marked so for screen readers.
    assert_eq!(app.attr_of("label[for='setting-language-en']", "lang").await, "en");
    app.click("setting-language-en").await;
    app.click("settings-save").await;

    // The page reloads in English and comes back to the settings it left.
    app.wait_for_text("settings-status", "The settings are saved.").await;
    assert_eq!(app.text_of("settings-heading").await, "Settings");
    assert_eq!(app.attr_of("html", "lang").await, "en");
    let saved: serde_json::Value =
        serde_json::from_slice(&std::fs::read(profile.config_dir().join("preferences.json")).expect("preferences")).expect("json");
    assert_eq!(saved["language"], "en");
    app.click("settings-back").await;
    assert_eq!(app.text_of("start-heading").await, "Book a doctor's appointment");
    app.close().await;

    // The choice outlives the app, whatever the OS says (here: Russian).
    let app = AppSession::launch_profile(&profile).await;
    app.wait_until_ready().await;
    assert_eq!(app.text_of("start-heading").await, "Book a doctor's appointment");
    app.click("settings-button").await;
    app.wait_until("the form", "document.querySelector(\"[data-testid='setting-language-en']\")?.checked").await;
    app.click("setting-language-system").await;
    app.click("settings-save").await;
    app.wait_for_text("settings-status", "Настройки сохранены.").await;
    assert_eq!(app.attr_of("html", "lang").await, "ru");
    app.close().await;
}

#[tokio::test]
async fn the_desk_and_the_kiosk_speak_english_too() {
    let app = AppSession::launch_profile(&english_profile(Some("desk"))).await;
    app.wait_until("the sign-in", "document.body.dataset.screen === 'sign-in'").await;
    assert_eq!(app.client.title().await.expect("title"), "Registratura — reception desk");
    assert_eq!(app.text_of_css("#desk-sign-in-heading").await, "Sign in for reception staff");
    assert_eq!(app.text_of("desk-sign-in-button").await, "Sign in");
    assert_eq!(app.attr_of("#desk-jump", "placeholder").await, "DD.MM.YYYY");
    app.close().await;

    let app = AppSession::launch_profile(&english_profile(Some("kiosk"))).await;
    app.wait_until("the start", "document.body.dataset.screen === 'start'").await;
    assert_eq!(app.client.title().await.expect("title"), "Registratura — booking terminal");
    assert_eq!(app.text_of("kiosk-heading").await, "Book a doctor's appointment");
    app.close().await;
}
