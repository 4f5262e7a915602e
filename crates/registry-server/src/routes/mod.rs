//! The HTTP API, one file per area. Handlers parse, call the store, and
//! shape the answer; every rule lives in the store's transactions.

pub mod appointments;
pub mod desk;
pub mod directory;
pub mod kiosk;
pub mod me;
pub mod schedule;
pub mod sync;

use crate::Error;

/// The longest search term accepted.
pub const MAX_SEARCH_CHARS: usize = 100;

/// A search term, trimmed, `None` when empty; refuses overlong ones. The
/// length is counted before trimming, as the document's `maxLength` counts it.
pub fn search_term(q: Option<&str>) -> Result<Option<&str>, Error> {
    if q.is_some_and(|q| q.chars().count() > MAX_SEARCH_CHARS) {
        return Err(Error::InvalidInput(format!("строка поиска длиннее {MAX_SEARCH_CHARS} символов")));
    }
    match q.map(str::trim) {
        None | Some("") => Ok(None),
        Some(term) => Ok(Some(term)),
    }
}
