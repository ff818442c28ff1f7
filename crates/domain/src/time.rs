//! Time zones, wall-clock times and labelled local times.
//!
//! Instants are stored in UTC. A session is entered as a wall-clock date and time in
//! the venue's IANA zone and converted here; a wall-clock time that does not exist
//! (a spring-forward gap) or exists twice (an autumn fold) is reported, not guessed.
//! Times are shown with the true offset at that instant: 26 June 2024 in Geneva is
//! `+02:00` (CEST), whatever an agenda that says "CET" may claim.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetName, Tz};
use std::fmt;

use crate::error::{FieldError, Problem};

/// An IANA time zone, as the tz database (through chrono-tz) names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Zone(Tz);

impl Zone {
    /// Coordinated Universal Time, the zone named `"UTC"`.
    pub const UTC: Zone = Zone(Tz::UTC);

    /// Coordinated Universal Time, the zone named `"UTC"`.
    pub const fn utc() -> Zone {
        Zone::UTC
    }

    /// Reads an IANA name exactly as the tz database spells it (`"Europe/Zurich"`,
    /// `"UTC"`), ignoring white space at either end. Case matters: `"europe/zurich"`
    /// is unknown, so that what is stored is the canonical spelling.
    pub fn parse(field: &'static str, raw: &str) -> Result<Zone, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        value
            .parse::<Tz>()
            .map(Zone)
            .map_err(|_| FieldError::new(field, Problem::Unknown("IANA time zone")))
    }

    /// Reads a zone as a person writes it in a form: its IANA name in any case
    /// (`"europe/zurich"`), or the city of exactly one zone (`"tokyo"`, `"New York"`,
    /// `"são paulo"` → `America/Sao_Paulo`), accents, case and spaces aside. Stored
    /// values are read with [`Zone::parse`]; what is stored is [`Zone::name`].
    pub fn find(field: &'static str, raw: &str) -> Result<Zone, FieldError> {
        if let Ok(zone) = Zone::parse(field, raw) {
            return Ok(zone);
        }
        let wanted = crate::search::search_key(&raw.trim().replace('_', " "));
        if wanted.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        let key = |name: &str| crate::search::search_key(&name.replace('_', " "));
        let by_name = chrono_tz::TZ_VARIANTS
            .iter()
            .find(|tz| key(tz.name()) == wanted);
        let mut by_city = chrono_tz::TZ_VARIANTS
            .iter()
            .filter(|tz| tz.name().contains('/'))
            .filter(|tz| {
                tz.name()
                    .rsplit('/')
                    .next()
                    .is_some_and(|city| key(city) == wanted)
            });
        let city = match (by_city.next(), by_city.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        };
        by_name.or(city).map(|tz| Zone(*tz)).ok_or(FieldError::new(
            field,
            Problem::Unknown("IANA time zone or city"),
        ))
    }

    /// The IANA name: `"Europe/Zurich"`.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The chrono-tz zone, for arithmetic.
    pub fn tz(self) -> Tz {
        self.0
    }
}

impl From<Tz> for Zone {
    fn from(tz: Tz) -> Self {
        Zone(tz)
    }
}

/// The IANA name.
impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a wall-clock time in a zone is not one instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTimeError {
    /// The clocks skipped this time (a spring-forward gap).
    Nonexistent,
    /// The clocks showed this time twice (an autumn fold); the caller picks one.
    Ambiguous {
        earlier: DateTime<Utc>,
        later: DateTime<Utc>,
    },
}

impl fmt::Display for LocalTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LocalTimeError::Nonexistent => {
                f.write_str("this time does not exist there: the clocks skip it")
            }
            LocalTimeError::Ambiguous { earlier, later } => write!(
                f,
                "this time happens twice there: at {} UTC and at {} UTC",
                earlier.format("%H:%M"),
                later.format("%H:%M")
            ),
        }
    }
}

impl std::error::Error for LocalTimeError {}

/// The instant at which clocks in `zone` show `date` and `time`.
pub fn local_to_utc(
    date: NaiveDate,
    time: NaiveTime,
    zone: Zone,
) -> Result<DateTime<Utc>, LocalTimeError> {
    match zone.0.from_local_datetime(&date.and_time(time)) {
        LocalResult::Single(at) => Ok(at.with_timezone(&Utc)),
        LocalResult::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            Err(LocalTimeError::Ambiguous {
                earlier: a.min(b),
                later: a.max(b),
            })
        }
        LocalResult::None => Err(LocalTimeError::Nonexistent),
    }
}

/// Like [`local_to_utc`], but a time in a fold resolves to the earlier instant, and
/// a time in a gap to `None`.
pub fn local_to_utc_earliest(
    date: NaiveDate,
    time: NaiveTime,
    zone: Zone,
) -> Option<DateTime<Utc>> {
    match local_to_utc(date, time, zone) {
        Ok(at) => Some(at),
        Err(LocalTimeError::Ambiguous { earlier, .. }) => Some(earlier),
        Err(LocalTimeError::Nonexistent) => None,
    }
}

/// An instant as the clocks in one zone show it, with what a reader needs to place
/// it: the abbreviation, the offset from UTC, and the zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labelled {
    /// The wall-clock date and time.
    pub local: NaiveDateTime,
    /// The tz database's abbreviation at that instant: `"CEST"`, `"EAT"`, `"UTC"`;
    /// empty where it has only a numeric one (`-03` in São Paulo, `+03` in Riyadh),
    /// which the offset already says.
    pub abbreviation: String,
    /// The true offset from UTC at that instant: `"+02:00"`.
    pub offset: String,
    /// The IANA name: `"Europe/Zurich"`.
    pub zone: &'static str,
}

impl Labelled {
    /// The wall-clock time, hours and minutes: `"10:00"`.
    pub fn time_hm(&self) -> String {
        self.local.format("%H:%M").to_string()
    }

    /// The wall-clock date: `"2024-06-26"`.
    pub fn date_iso(&self) -> String {
        self.local.format("%Y-%m-%d").to_string()
    }

    /// The abbreviation ("CEST"), or the offset ("UTC-03:00") where the zone has none.
    pub fn abbreviation_or_offset(&self) -> String {
        if self.abbreviation.is_empty() {
            format!("UTC{}", self.offset)
        } else {
            self.abbreviation.clone()
        }
    }

    /// Whether there is an abbreviation that is a name (`"CEST"`), not a number.
    fn abbreviation_is_a_name(&self) -> bool {
        self.abbreviation
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
    }
}

/// `2024-06-26 10:00 CEST (UTC+02:00, Europe/Zurich)`. Without an abbreviation it is
/// `2024-06-26 10:00 (UTC-03:00, America/Sao_Paulo)`; a zone named like its
/// abbreviation is not repeated (`2024-06-26 08:00 UTC (UTC+00:00)`).
impl fmt::Display for Labelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date_iso(), self.time_hm())?;
        if self.abbreviation_is_a_name() {
            write!(f, " {}", self.abbreviation)?;
        }
        write!(f, " (UTC{}", self.offset)?;
        if self.zone != self.abbreviation {
            write!(f, ", {}", self.zone)?;
        }
        f.write_str(")")
    }
}

/// How the clocks in `zone` show the instant `at`.
pub fn label(at: DateTime<Utc>, zone: Zone) -> Labelled {
    let there = at.with_timezone(&zone.0);
    let offset = there.offset();
    Labelled {
        local: there.naive_local(),
        // chrono-tz gives no abbreviation where tzdata's is numeric ("+03").
        abbreviation: offset
            .abbreviation()
            .filter(|name| name.starts_with(|c: char| c.is_ascii_alphabetic()))
            .unwrap_or_default()
            .to_owned(),
        offset: utc_offset_string(offset.fix().local_minus_utc()),
        zone: zone.name(),
    }
}

/// An offset from UTC in seconds as `±HH:MM`: `"+05:30"`, `"-03:00"`, `"+00:00"`.
/// Seconds are added (`"+00:34:08"`) only for the odd historical offset that has them.
pub fn utc_offset_string(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let total = seconds.unsigned_abs();
    let (hours, minutes, secs) = (total / 3600, total % 3600 / 60, total % 60);
    if secs == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{secs:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn zone(name: &str) -> Zone {
        Zone::parse("zone", name).expect("a zone chrono-tz knows")
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn a_zone_is_found_by_its_name_in_any_case_or_by_its_city() {
        let found = |raw: &str| Zone::find("time_zone", raw).map(Zone::name);
        assert_eq!(found("Europe/Zurich"), Ok("Europe/Zurich"));
        assert_eq!(found(" europe/zurich "), Ok("Europe/Zurich"));
        assert_eq!(found("tokyo"), Ok("Asia/Tokyo"));
        assert_eq!(found("New York"), Ok("America/New_York"));
        assert_eq!(found("são paulo"), Ok("America/Sao_Paulo"));
        assert_eq!(found("utc"), Ok("UTC"));
        for bad in ["Atlantis", "Europe", "Paris, France"] {
            assert_eq!(
                Zone::find("time_zone", bad).map_err(|e| e.field),
                Err("time_zone"),
                "{bad}"
            );
        }
        assert_eq!(
            Zone::find("time_zone", "  ").map_err(|e| e.problem),
            Err(Problem::Required)
        );
        // Stored names stay exact: the lenient reading is for what people type.
        assert!(Zone::parse("time_zone", "tokyo").is_err());
    }

    fn hm(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).expect("a real time")
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        date(y, mo, d).and_time(hm(h, mi)).and_utc()
    }

    #[test]
    fn zones_parse_by_exact_iana_name() {
        assert_eq!(zone("Europe/Zurich").name(), "Europe/Zurich");
        assert_eq!(zone("  Africa/Nairobi\n").name(), "Africa/Nairobi");
        assert_eq!(zone("UTC"), Zone::utc());
        assert_eq!(Zone::UTC.name(), "UTC");
        assert_eq!(Zone::utc().tz(), Tz::UTC);
        assert_eq!(zone("Asia/Kolkata").to_string(), "Asia/Kolkata");
        assert_eq!(
            Zone::from(Tz::America__Sao_Paulo),
            zone("America/Sao_Paulo")
        );
        let err = |raw| Zone::parse("time_zone", raw).map_err(|e| (e.field, e.problem));
        assert_eq!(err(""), Err(("time_zone", Problem::Required)));
        assert_eq!(err("  "), Err(("time_zone", Problem::Required)));
        let unknown = Err(("time_zone", Problem::Unknown("IANA time zone")));
        // There is no Europe/Geneva: Geneva keeps Zurich's time.
        for bad in [
            "Europe/Geneva",
            "europe/zurich",
            "CEST",
            "+02:00",
            "Mars/Olympus",
        ] {
            assert_eq!(err(bad), unknown, "{bad:?}");
        }
    }

    #[test]
    fn wall_clock_times_convert_to_utc() {
        let zurich = zone("Europe/Zurich");
        assert_eq!(
            local_to_utc(date(2024, 6, 26), hm(10, 0), zurich),
            Ok(utc(2024, 6, 26, 8, 0))
        );
        assert_eq!(
            local_to_utc(date(2024, 1, 15), hm(17, 0), zurich),
            Ok(utc(2024, 1, 15, 16, 0))
        );
        let nairobi = zone("Africa/Nairobi");
        for month in 1..=12 {
            assert_eq!(
                local_to_utc(date(2024, month, 15), hm(9, 0), nairobi),
                Ok(utc(2024, month, 15, 6, 0))
            );
            assert_eq!(label(utc(2024, month, 15, 6, 0), nairobi).offset, "+03:00");
        }
        assert_eq!(
            local_to_utc(date(2024, 12, 9), hm(9, 30), zone("Asia/Kolkata")),
            Ok(utc(2024, 12, 9, 4, 0))
        );
        assert_eq!(
            local_to_utc(date(2024, 6, 26), hm(8, 0), Zone::utc()),
            Ok(utc(2024, 6, 26, 8, 0))
        );
    }

    #[test]
    fn spring_forward_gap_is_nonexistent() {
        let zurich = zone("Europe/Zurich");
        assert_eq!(
            local_to_utc(date(2024, 3, 31), hm(2, 30), zurich),
            Err(LocalTimeError::Nonexistent)
        );
        assert_eq!(
            local_to_utc_earliest(date(2024, 3, 31), hm(2, 30), zurich),
            None
        );
        // Either side of the gap is fine.
        assert_eq!(
            local_to_utc(date(2024, 3, 31), hm(1, 59), zurich),
            Ok(utc(2024, 3, 31, 0, 59))
        );
        assert_eq!(
            local_to_utc(date(2024, 3, 31), hm(3, 0), zurich),
            Ok(utc(2024, 3, 31, 1, 0))
        );
    }

    #[test]
    fn autumn_fold_is_ambiguous() {
        let zurich = zone("Europe/Zurich");
        let fold = Err(LocalTimeError::Ambiguous {
            earlier: utc(2024, 10, 27, 0, 30),
            later: utc(2024, 10, 27, 1, 30),
        });
        assert_eq!(local_to_utc(date(2024, 10, 27), hm(2, 30), zurich), fold);
        assert_eq!(
            local_to_utc_earliest(date(2024, 10, 27), hm(2, 30), zurich),
            Some(utc(2024, 10, 27, 0, 30))
        );
        assert_eq!(label(utc(2024, 10, 27, 0, 30), zurich).abbreviation, "CEST");
        assert_eq!(label(utc(2024, 10, 27, 1, 30), zurich).abbreviation, "CET");
        assert_eq!(
            LocalTimeError::Ambiguous {
                earlier: utc(2024, 10, 27, 0, 30),
                later: utc(2024, 10, 27, 1, 30)
            }
            .to_string(),
            "this time happens twice there: at 00:30 UTC and at 01:30 UTC"
        );
    }

    #[test]
    fn new_york_daylight_saving() {
        let new_york = zone("America/New_York");
        assert_eq!(
            local_to_utc(date(2024, 3, 10), hm(2, 30), new_york),
            Err(LocalTimeError::Nonexistent)
        );
        assert_eq!(
            local_to_utc(date(2024, 3, 10), hm(3, 0), new_york),
            Ok(utc(2024, 3, 10, 7, 0))
        );
        assert_eq!(
            local_to_utc(date(2024, 11, 3), hm(1, 30), new_york),
            Err(LocalTimeError::Ambiguous {
                earlier: utc(2024, 11, 3, 5, 30),
                later: utc(2024, 11, 3, 6, 30),
            })
        );
        assert_eq!(
            local_to_utc(date(2024, 7, 4), hm(12, 0), new_york),
            Ok(utc(2024, 7, 4, 16, 0))
        );
        assert_eq!(
            local_to_utc(date(2024, 12, 4), hm(12, 0), new_york),
            Ok(utc(2024, 12, 4, 17, 0))
        );
        assert_eq!(label(utc(2024, 7, 4, 16, 0), new_york).abbreviation, "EDT");
        assert_eq!(label(utc(2024, 12, 4, 17, 0), new_york).abbreviation, "EST");
    }

    #[test]
    fn lord_howe_moves_half_an_hour() {
        let lord_howe = zone("Australia/Lord_Howe");
        assert_eq!(label(utc(2024, 7, 1, 0, 0), lord_howe).offset, "+10:30");
        assert_eq!(label(utc(2024, 12, 1, 0, 0), lord_howe).offset, "+11:00");
        // 6 October 2024: 02:00 becomes 02:30.
        assert_eq!(
            local_to_utc(date(2024, 10, 6), hm(2, 15), lord_howe),
            Err(LocalTimeError::Nonexistent)
        );
        // 7 April 2024: 02:00 becomes 01:30 again.
        assert_eq!(
            local_to_utc(date(2024, 4, 7), hm(1, 45), lord_howe),
            Err(LocalTimeError::Ambiguous {
                earlier: utc(2024, 4, 6, 14, 45),
                later: utc(2024, 4, 6, 15, 15),
            })
        );
    }

    #[test]
    fn labels_show_the_true_offset() {
        let geneva = label(utc(2024, 6, 26, 8, 0), zone("Europe/Zurich"));
        assert_eq!(geneva.local, date(2024, 6, 26).and_time(hm(10, 0)));
        assert_eq!(geneva.abbreviation, "CEST");
        assert_eq!(geneva.offset, "+02:00");
        assert_eq!(geneva.zone, "Europe/Zurich");
        assert_eq!(geneva.time_hm(), "10:00");
        assert_eq!(geneva.date_iso(), "2024-06-26");
        assert_eq!(
            geneva.to_string(),
            "2024-06-26 10:00 CEST (UTC+02:00, Europe/Zurich)"
        );

        let winter = label(utc(2024, 1, 15, 16, 0), zone("Europe/Zurich"));
        assert_eq!(
            winter.to_string(),
            "2024-01-15 17:00 CET (UTC+01:00, Europe/Zurich)"
        );

        let utc_label = label(utc(2024, 6, 26, 8, 0), Zone::utc());
        assert_eq!(utc_label.to_string(), "2024-06-26 08:00 UTC (UTC+00:00)");

        let kolkata = label(utc(2024, 12, 9, 4, 0), zone("Asia/Kolkata"));
        assert_eq!(
            kolkata.to_string(),
            "2024-12-09 09:30 IST (UTC+05:30, Asia/Kolkata)"
        );

        let riyadh = label(utc(2024, 12, 15, 6, 0), zone("Asia/Riyadh"));
        assert_eq!(riyadh.abbreviation, "");
        assert_eq!(
            riyadh.to_string(),
            "2024-12-15 09:00 (UTC+03:00, Asia/Riyadh)"
        );

        let sao_paulo = label(utc(2024, 6, 26, 13, 0), zone("America/Sao_Paulo"));
        assert_eq!(
            sao_paulo.to_string(),
            "2024-06-26 10:00 (UTC-03:00, America/Sao_Paulo)"
        );

        // The local date can differ from the UTC date.
        let auckland = label(utc(2024, 6, 26, 20, 0), zone("Pacific/Auckland"));
        assert_eq!(auckland.date_iso(), "2024-06-27");
        assert_eq!(auckland.time_hm(), "08:00");
    }

    #[test]
    fn offsets_print_as_sign_hours_minutes() {
        assert_eq!(utc_offset_string(0), "+00:00");
        assert_eq!(utc_offset_string(19_800), "+05:30");
        assert_eq!(utc_offset_string(-10_800), "-03:00");
        assert_eq!(utc_offset_string(20_700), "+05:45");
        assert_eq!(utc_offset_string(-34_200), "-09:30");
        assert_eq!(utc_offset_string(50_400), "+14:00");
        assert_eq!(utc_offset_string(2_048), "+00:34:08");
        assert_eq!(utc_offset_string(-1), "-00:00:01");
        assert_eq!(utc_offset_string(i32::MIN), "-596523:14:08");
    }

    const ZONES: [&str; 7] = [
        "Europe/Zurich",
        "America/New_York",
        "Australia/Sydney",
        "Asia/Kolkata",
        "Africa/Nairobi",
        "America/Sao_Paulo",
        "Australia/Lord_Howe",
    ];

    /// 2000-01-01T00:00:00Z and 2041-01-01T00:00:00Z.
    const FROM: i64 = 946_684_800;
    const UNTIL: i64 = 2_240_524_800;

    fn offset_seconds(offset: &str) -> Option<i32> {
        let sign = match offset.get(..1)? {
            "+" => 1,
            "-" => -1,
            _ => return None,
        };
        let (hours, minutes) = offset.get(1..)?.split_once(':')?;
        Some(sign * (hours.parse::<i32>().ok()? * 3600 + minutes.parse::<i32>().ok()? * 60))
    }

    proptest! {
        #[test]
        fn utc_to_local_and_back(seconds in FROM..UNTIL, which in 0..ZONES.len()) {
            let zone = zone(ZONES[which]);
            let at = DateTime::from_timestamp(seconds, 0).expect("in range");
            let labelled = label(at, zone);
            let (day, time) = (labelled.local.date(), labelled.local.time());
            let back = local_to_utc_earliest(day, time, zone);
            match local_to_utc(day, time, zone) {
                Ok(instant) => {
                    prop_assert_eq!(instant, at);
                    prop_assert_eq!(back, Some(at));
                }
                Err(LocalTimeError::Ambiguous { earlier, later }) => {
                    prop_assert!(earlier < later);
                    prop_assert!(at == earlier || at == later);
                    prop_assert_eq!(back, Some(earlier));
                }
                Err(LocalTimeError::Nonexistent) => {
                    prop_assert!(false, "{at} shows as {} in {zone}, a time said not to exist", labelled.local);
                }
            }
        }

        #[test]
        fn printed_offset_is_local_minus_utc(seconds in FROM..UNTIL, which in 0..ZONES.len()) {
            let zone = zone(ZONES[which]);
            let at = DateTime::from_timestamp(seconds, 0).expect("in range");
            let labelled = label(at, zone);
            let difference = (labelled.local - at.naive_utc()).num_seconds();
            prop_assert_eq!(offset_seconds(&labelled.offset).map(i64::from), Some(difference));
            prop_assert_eq!(utc_offset_string(i32::try_from(difference).expect("small")), labelled.offset);
        }

        #[test]
        fn offset_strings_read_back(minutes in -(26 * 60)..=(26 * 60)) {
            let printed = utc_offset_string(minutes * 60);
            prop_assert_eq!(printed.len(), 6);
            prop_assert_eq!(offset_seconds(&printed), Some(minutes * 60));
        }

        #[test]
        fn every_wall_clock_minute_is_one_two_or_no_instant(
            days in 0i64..(41 * 366),
            minute in 0u32..(24 * 60),
            which in 0..ZONES.len(),
        ) {
            let zone = zone(ZONES[which]);
            let day = date(2000, 1, 1) + chrono::Duration::days(days);
            let time = hm(minute / 60, minute % 60);
            let local = day.and_time(time);
            match local_to_utc(day, time, zone) {
                Ok(at) => prop_assert_eq!(label(at, zone).local, local),
                Err(LocalTimeError::Ambiguous { earlier, later }) => {
                    prop_assert!(earlier < later);
                    prop_assert_eq!(label(earlier, zone).local, local);
                    prop_assert_eq!(label(later, zone).local, local);
                }
                Err(LocalTimeError::Nonexistent) => {
                    // Neither neighbouring offset maps back to this wall-clock time.
                    for probe in [local - chrono::Duration::hours(14), local + chrono::Duration::hours(14)] {
                        let offset = label(probe.and_utc(), zone).offset;
                        let seconds = offset_seconds(&offset).expect("printed offset");
                        let candidate = (local - chrono::Duration::seconds(i64::from(seconds))).and_utc();
                        prop_assert_ne!(label(candidate, zone).local, local);
                    }
                }
            }
        }
    }
}
