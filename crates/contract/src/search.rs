//! How searches in long lists match, the same on the server and in the
//! app's cache.

/// The text a search matches and the term it is matched with: lower case
/// (done here because SQLite folds only ASCII), trimmed, and with «ё» read
/// as «е», as people type it — so «семенов» finds «Семёнов».
pub fn search_key(text: &str) -> String {
    text.trim().to_lowercase().replace('ё', "е")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_cyrillic_case_and_yo() {
        assert_eq!(search_key(" Пётр СЕМЁНОВ "), "петр семенов");
        assert_eq!(search_key("B01.064.001"), "b01.064.001");
    }
}
