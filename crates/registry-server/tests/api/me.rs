use serde_json::json;

use crate::support::on_both_backends;

on_both_backends!(the_profile_and_its_phones, |app| {
    let token = app.demo_token(1).await;
    let (status, profile) = app.get_as(&token, "/api/v1/me").await;
    assert_eq!(status, 200);
    assert_eq!(profile["last_name"], "Захарова");
    assert_eq!(profile["policy"].as_str().map(str::len), Some(16));
    assert_eq!(profile["snils"].as_str().map(str::len), Some(11));
    assert_eq!(profile["confirmed"], true);
    let before = profile["phones"].as_array().expect("phones").len();

    let (status, phones) = app.post_as(&token, "/api/v1/me/phones", &json!({"phone": "+79205551234"})).await;
    assert_eq!(status, 201);
    assert!(phones.as_array().expect("phones").contains(&json!("+79205551234")));
    let (_, again) = app.post_as(&token, "/api/v1/me/phones", &json!({"phone": "+79205551234"})).await;
    assert_eq!(again.as_array().map(Vec::len), Some(before + 1), "the same number is saved once");

    // The wire takes the document's pattern only: what a person types is
    // the app's to put in shape before it sends.
    for typed in ["+7 123", "+7 (920) 555-12-34", "89205551234", "+71205551234"] {
        let (status, body) = app.post_as(&token, "/api/v1/me/phones", &json!({"phone": typed})).await;
        assert_eq!((status, body["kind"].as_str()), (400, Some("invalid_input")), "{typed}");
    }
    let mut refused = 0;
    for n in 0..10 {
        let (status, body) = app.post_as(&token, "/api/v1/me/phones", &json!({"phone": format!("+7930000000{n}")})).await;
        if status != 201 {
            assert_eq!((status, body["kind"].as_str()), (422, Some("unacceptable_input")), "{body}");
            refused += 1;
        }
    }
    assert!(refused > 0, "a sixth phone is refused");
    let (_, phones) = app.get_as(&token, "/api/v1/me/phones").await;
    assert_eq!(phones.as_array().map(Vec::len), Some(5), "a profile keeps at most five phones");
});
