//! The region the app serves.

use chrono_tz::Tz;
use serde::Serialize;

/// A region of the Russian Federation whose clinics the app books into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Region {
    /// The region's code, as in its portal's name («Регистратура40»).
    pub code: u8,
    /// The region's name in Russian, shown under the app's name.
    pub name: &'static str,
    /// The IANA zone of the region's clinics. Every appointment time is shown
    /// in this zone, whatever the zone of the machine the app runs on.
    #[serde(serialize_with = "serialize_zone")]
    pub time_zone: Tz,
}

/// The Kaluga region, the first region the app serves.
pub const KALUGA: Region = Region {
    code: 40,
    name: "Калужская область",
    time_zone: chrono_tz::Europe::Moscow,
};

fn serialize_zone<S: serde::Serializer>(zone: &Tz, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(zone.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kaluga_serialises_with_its_zone_name() {
        let json = serde_json::to_value(KALUGA).expect("a region serialises");
        assert_eq!(json["name"], "Калужская область");
        assert_eq!(json["time_zone"], "Europe/Moscow");
        assert_eq!(json["code"], 40);
    }
}
