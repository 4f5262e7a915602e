//! A patient's identifiers, parsed at the edge: СНИЛС, the ОМС policy number
//! and a Russian mobile or landline phone number.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::InvalidInput;

/// A СНИЛС (insurance number of an individual account) with a valid checksum.
/// Stored as its eleven digits; shown as `123-456-789 01`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Snils(String);

/// An ОМС policy number: the sixteen-digit single policy number (ЕНП).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PolicyNumber(String);

/// A Russian phone number: +7 followed by ten digits. Stored as `+7XXXXXXXXXX`.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Snils {
    /// Parses a СНИЛС written with or without spaces and dashes.
    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let digits = only_digits(input, &[' ', '-'])
            .filter(|digits| digits.len() == 11)
            .ok_or_else(|| InvalidInput("snils: expected 11 digits".to_owned()))?;
        let (number, check) = digits.split_at(9);
        let expected = Self::checksum(number);
        // Numbers up to 001-001-998 were issued before checksums existed.
        let checked = number > "001001998";
        if checked && check != format!("{expected:02}") {
            return Err(InvalidInput("snils: the checksum does not match".to_owned()));
        }
        Ok(Self(digits))
    }

    /// Builds a valid СНИЛС from its first nine digits (for generated data).
    pub fn from_number(number: u32) -> Self {
        let number = format!("{:09}", number % 1_000_000_000);
        let check = Self::checksum(&number);
        Self(format!("{number}{check:02}"))
    }

    /// The eleven digits.
    pub fn digits(&self) -> &str {
        &self.0
    }

    fn checksum(nine_digits: &str) -> u32 {
        let sum: u32 = nine_digits
            .bytes()
            .enumerate()
            .map(|(index, byte)| u32::from(byte - b'0') * (9 - index as u32))
            .sum();
        match sum {
            0..=99 => sum,
            100 | 101 => 0,
            _ => match sum % 101 {
                100 => 0,
                rest => rest,
            },
        }
    }
}

impl PolicyNumber {
    /// Parses a sixteen-digit policy number (ЕНП) written with or without
    /// spaces, and checks its last digit.
    ///
    /// The check digit is FFOMS's «контрольное число ЕНП», ISO/HL7 27931's
    /// Mod10: the digits in odd places counted from the right (the check
    /// digit not counted) doubled as a number, the even ones written before
    /// it, all digits of that summed, and the check digit takes the sum up to
    /// a multiple of ten. For sixteen digits that is exactly Luhn's check over
    /// all of them, which is how it is computed here.
    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let digits = only_digits(input, &[' '])
            .filter(|digits| digits.len() == 16)
            .ok_or_else(|| InvalidInput("policy: expected 16 digits".to_owned()))?;
        let (first, check) = digits.split_at(15);
        if Self::check_digit(first) != check.as_bytes()[0] - b'0' {
            return Err(InvalidInput("policy: the check digit does not match".to_owned()));
        }
        Ok(Self(digits))
    }

    /// The policy whose first fifteen digits are `first`, completed with its
    /// check digit: for generators of test and demo data.
    pub fn completing(first: &str) -> Result<Self, InvalidInput> {
        if first.len() != 15 || !first.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidInput("policy: expected 15 digits to complete".to_owned()));
        }
        Ok(Self(format!("{first}{}", Self::check_digit(first))))
    }

    /// The check digit of the first fifteen digits (ASCII digits only).
    fn check_digit(first: &str) -> u8 {
        let sum: u32 = first
            .bytes()
            .rev()
            .enumerate()
            .map(|(place, byte)| {
                let digit = u32::from(byte - b'0');
                // Places counted from the right, the check digit being place
                // 0: the odd ones are doubled, and a two-digit product counts
                // as the sum of its digits.
                if place % 2 == 0 {
                    let doubled = digit * 2;
                    if doubled > 9 { doubled - 9 } else { doubled }
                } else {
                    digit
                }
            })
            .sum();
        ((10 - sum % 10) % 10) as u8
    }

    /// The sixteen digits.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl Phone {
    /// Parses `+7XXXXXXXXXX`, `8XXXXXXXXXX` or ten digits, with any spaces,
    /// dashes and brackets a person may type.
    pub fn parse(input: &str) -> Result<Self, InvalidInput> {
        let trimmed = input.trim();
        let rest = trimmed.strip_prefix("+7").unwrap_or(trimmed);
        let digits = only_digits(rest, &[' ', '-', '(', ')'])
            .ok_or_else(|| InvalidInput("phone: only digits after +7".to_owned()))?;
        let ten = match digits.len() {
            10 => digits,
            11 if !trimmed.starts_with("+7") && (digits.starts_with('8') || digits.starts_with('7')) => {
                digits[1..].to_owned()
            }
            _ => return Err(InvalidInput("phone: expected ten digits after +7".to_owned())),
        };
        if !matches!(ten.as_bytes()[0], b'3' | b'4' | b'8' | b'9') {
            return Err(InvalidInput("phone: not a Russian number".to_owned()));
        }
        Ok(Self(format!("+7{ten}")))
    }

    /// The number as `+7XXXXXXXXXX`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The longest part of a person's name accepted.
pub const MAX_NAME_CHARS: usize = 60;

/// Why a part of a person's name was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameProblem {
    Missing,
    TooLong,
    /// Latin letters among Cyrillic ones: a «С» typed on the wrong layout.
    LatinLetters,
    /// Something other than Cyrillic letters, hyphens, spaces and apostrophes.
    NotLetters,
}

/// A part of a Russian name (surname, name or patronymic), trimmed:
/// Cyrillic letters with hyphens, spaces and apostrophes between them.
/// Latin letters mixed in are refused rather than stored unsearchable.
/// An empty part is `Missing` when `required`, else the empty string.
pub fn person_name(value: &str, required: bool) -> Result<String, NameProblem> {
    let value = value.trim();
    if value.is_empty() {
        return if required { Err(NameProblem::Missing) } else { Ok(String::new()) };
    }
    if value.chars().count() > MAX_NAME_CHARS {
        return Err(NameProblem::TooLong);
    }
    if value.chars().any(|c| c.is_ascii_alphabetic()) {
        return Err(NameProblem::LatinLetters);
    }
    let cyrillic = |c: char| matches!(c, 'А'..='я' | 'Ё' | 'ё');
    if !value.chars().all(|c| cyrillic(c) || matches!(c, '-' | ' ' | '\'')) || !value.chars().next().is_some_and(cyrillic) {
        return Err(NameProblem::NotLetters);
    }
    Ok(value.to_owned())
}

fn only_digits(input: &str, separators: &[char]) -> Option<String> {
    let digits: String = input.trim().chars().filter(|c| !separators.contains(c)).collect();
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

// Personal identifiers print masked so that a stray `{:?}` in a log line
// cannot leak them.
impl fmt::Debug for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Snils(***-***-*** {})", &self.0[9..])
    }
}

impl fmt::Debug for PolicyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PolicyNumber(************{})", &self.0[12..])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone(+7*******{})", &self.0[9..])
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0;
        write!(f, "{}-{}-{} {}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = &self.0[2..];
        write!(f, "+7 ({}) {}-{}-{}", &d[0..3], &d[3..6], &d[6..8], &d[8..10])
    }
}

macro_rules! serde_as_string {
    ($type:ty, $get:ident) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.$get())
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Self::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}

serde_as_string!(Snils, digits);
serde_as_string!(PolicyNumber, digits);

impl Serialize for Phone {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// On the wire a phone is only ever `+7XXXXXXXXXX`, as the OpenAPI pattern
/// says; the spaces, brackets and leading 8 a person types are `parse`'s,
/// which the app and the desk run before they send.
impl<'de> Deserialize<'de> for Phone {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        match Phone::parse(&text) {
            Ok(phone) if phone.as_str() == text => Ok(phone),
            _ => Err(serde::de::Error::custom("phone: +7 and ten digits, the first of them 3, 4, 8 or 9")),
        }
    }
}

/// In the OpenAPI document each identifier is a string with its pattern.
#[cfg(feature = "openapi")]
macro_rules! string_schema {
    ($type:ty, $pattern:literal, $description:literal) => {
        impl utoipa::PartialSchema for $type {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .pattern(Some($pattern))
                    .description(Some($description))
                    .into()
            }
        }

        impl utoipa::ToSchema for $type {}
    };
}

#[cfg(feature = "openapi")]
string_schema!(Snils, r"^\d{11}$", "СНИЛС: eleven digits with a valid checksum");
#[cfg(feature = "openapi")]
string_schema!(PolicyNumber, r"^\d{16}$", "ОМС policy number (ЕНП): sixteen digits");
#[cfg(feature = "openapi")]
string_schema!(Phone, r"^\+7[3489]\d{9}$", "A Russian phone number: +7 and ten digits, the first of them 3, 4, 8 or 9");

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snils_checksum_is_checked() {
        // 112-233-445 95 is the textbook example with a valid checksum.
        let snils = Snils::parse("112-233-445 95").expect("valid");
        assert_eq!(snils.digits(), "11223344595");
        assert_eq!(snils.to_string(), "112-233-445 95");
        assert!(Snils::parse("112-233-445 96").is_err());
        assert!(Snils::parse("112-233-445").is_err());
        assert!(Snils::parse("112-233-445 9x").is_err());
    }

    #[test]
    fn snils_built_from_a_number_parses_back() {
        for number in [1_001_999, 123_456_789, 987_654_321, 500_000_000] {
            let snils = Snils::from_number(number);
            assert_eq!(Snils::parse(snils.digits()).expect("valid"), snils);
        }
    }

    #[test]
    fn policy_is_sixteen_digits() {
        // Real-format numbers from open-source ОМС registries' test data
        // (ProMed's identification stubs) and FFOMS's worked example.
        for valid in ["3555620822001994", "1049620835000056", "3051999784000072", "0397689780000031", "1072060873000108", "8451999122899990", "3555 6208 2200 1994"] {
            assert!(PolicyNumber::parse(valid).is_ok(), "{valid}");
        }
        // The same sources' numbers whose last digit is not their check digit.
        for wrong in ["5901958022200888", "1234567890124000", "3555620822001995"] {
            assert!(PolicyNumber::parse(wrong).is_err(), "{wrong}");
        }
        assert_eq!(PolicyNumber::completing("355562082200199").expect("15 digits").digits(), "3555620822001994");
        assert!(PolicyNumber::parse("405012345678901").is_err());
        assert!(PolicyNumber::parse("40501234567890AB").is_err());
    }

    #[test]
    fn phone_accepts_what_people_type() {
        for typed in ["+7 (910) 123-45-67", "89101234567", "9101234567", "+79101234567"] {
            assert_eq!(Phone::parse(typed).expect(typed).as_str(), "+79101234567");
        }
        assert_eq!(Phone::parse("+79101234567").expect("valid").to_string(), "+7 (910) 123-45-67");
        for wrong in ["", "+7910123456", "+791012345678", "12345", "+7 (110) 123-45-67", "+7abc"] {
            assert!(Phone::parse(wrong).is_err(), "{wrong} must be refused");
        }
    }

    #[test]
    fn identifiers_never_print_whole_in_debug() {
        let snils = Snils::parse("11223344595").expect("valid");
        let phone = Phone::parse("+79101234567").expect("valid");
        let policy = PolicyNumber::parse("3555620822001994").expect("valid");
        assert!(!format!("{snils:?}").contains("112233445"));
        assert!(!format!("{phone:?}").contains("910123"));
        assert!(!format!("{policy:?}").contains("355562082200"));
    }
}
