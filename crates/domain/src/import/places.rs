//! Places that locate a meeting in a time zone: host cities of forum meetings and
//! the countries that have a single zone. A place named in a venue, or in a label like
//! "Riyadh time", gives the meeting its IANA zone, daylight-saving time included.

use chrono_tz::Tz;

use crate::search::search_key;

/// Cities, keyed as [`search_key`] writes them (lower case, accents folded).
const CITIES: &[(&str, &str)] = &[
    ("abu dhabi", "Asia/Dubai"),
    ("abuja", "Africa/Lagos"),
    ("accra", "Africa/Accra"),
    ("addis ababa", "Africa/Addis_Ababa"),
    ("algiers", "Africa/Algiers"),
    ("almaty", "Asia/Almaty"),
    ("amman", "Asia/Amman"),
    ("amsterdam", "Europe/Amsterdam"),
    ("ankara", "Europe/Istanbul"),
    ("athens", "Europe/Athens"),
    ("baku", "Asia/Baku"),
    ("bangkok", "Asia/Bangkok"),
    ("beijing", "Asia/Shanghai"),
    ("beirut", "Asia/Beirut"),
    ("belgrade", "Europe/Belgrade"),
    ("berlin", "Europe/Berlin"),
    ("bern", "Europe/Zurich"),
    ("bogota", "America/Bogota"),
    ("brasilia", "America/Sao_Paulo"),
    ("bratislava", "Europe/Bratislava"),
    ("brussels", "Europe/Brussels"),
    ("bucharest", "Europe/Bucharest"),
    ("budapest", "Europe/Budapest"),
    ("buenos aires", "America/Argentina/Buenos_Aires"),
    ("cairo", "Africa/Cairo"),
    ("cape town", "Africa/Johannesburg"),
    ("colombo", "Asia/Colombo"),
    ("copenhagen", "Europe/Copenhagen"),
    ("dakar", "Africa/Dakar"),
    ("dar es salaam", "Africa/Dar_es_Salaam"),
    ("dhaka", "Asia/Dhaka"),
    ("doha", "Asia/Qatar"),
    ("dubai", "Asia/Dubai"),
    ("dublin", "Europe/Dublin"),
    ("geneva", "Europe/Zurich"),
    ("geneve", "Europe/Zurich"),
    ("genf", "Europe/Zurich"),
    ("guadalajara", "America/Mexico_City"),
    ("hanoi", "Asia/Ho_Chi_Minh"),
    ("harare", "Africa/Harare"),
    ("helsinki", "Europe/Helsinki"),
    ("hong kong", "Asia/Hong_Kong"),
    ("hyderabad", "Asia/Kolkata"),
    ("islamabad", "Asia/Karachi"),
    ("istanbul", "Europe/Istanbul"),
    ("jakarta", "Asia/Jakarta"),
    ("joao pessoa", "America/Fortaleza"),
    ("johannesburg", "Africa/Johannesburg"),
    ("kampala", "Africa/Kampala"),
    ("kathmandu", "Asia/Kathmandu"),
    ("katowice", "Europe/Warsaw"),
    ("kigali", "Africa/Kigali"),
    ("kuala lumpur", "Asia/Kuala_Lumpur"),
    ("kyiv", "Europe/Kyiv"),
    ("kyoto", "Asia/Tokyo"),
    ("lagos", "Africa/Lagos"),
    ("lillestrom", "Europe/Oslo"),
    ("lima", "America/Lima"),
    ("lisbon", "Europe/Lisbon"),
    ("ljubljana", "Europe/Ljubljana"),
    ("london", "Europe/London"),
    ("luanda", "Africa/Luanda"),
    ("lusaka", "Africa/Lusaka"),
    ("madrid", "Europe/Madrid"),
    ("manila", "Asia/Manila"),
    ("maputo", "Africa/Maputo"),
    ("mexico city", "America/Mexico_City"),
    ("montevideo", "America/Montevideo"),
    ("moscow", "Europe/Moscow"),
    ("muscat", "Asia/Muscat"),
    ("nairobi", "Africa/Nairobi"),
    ("new delhi", "Asia/Kolkata"),
    ("new york", "America/New_York"),
    ("oslo", "Europe/Oslo"),
    ("ottawa", "America/Toronto"),
    ("paris", "Europe/Paris"),
    ("prague", "Europe/Prague"),
    ("rabat", "Africa/Casablanca"),
    ("riga", "Europe/Riga"),
    ("rio de janeiro", "America/Sao_Paulo"),
    ("riyadh", "Asia/Riyadh"),
    ("rome", "Europe/Rome"),
    ("santiago", "America/Santiago"),
    ("sao paulo", "America/Sao_Paulo"),
    ("seoul", "Asia/Seoul"),
    ("sharm el sheikh", "Africa/Cairo"),
    ("singapore", "Asia/Singapore"),
    ("sofia", "Europe/Sofia"),
    ("stockholm", "Europe/Stockholm"),
    ("strasbourg", "Europe/Paris"),
    ("sydney", "Australia/Sydney"),
    ("tallinn", "Europe/Tallinn"),
    ("tbilisi", "Asia/Tbilisi"),
    ("the hague", "Europe/Amsterdam"),
    ("tokyo", "Asia/Tokyo"),
    ("tunis", "Africa/Tunis"),
    ("vienna", "Europe/Vienna"),
    ("vilnius", "Europe/Vilnius"),
    ("warsaw", "Europe/Warsaw"),
    ("washington", "America/New_York"),
    ("wellington", "Pacific/Auckland"),
    ("windhoek", "Africa/Windhoek"),
    ("yerevan", "Asia/Yerevan"),
    ("zurich", "Europe/Zurich"),
];

/// Countries with one time zone, for a venue that names only its country.
const COUNTRIES: &[(&str, &str)] = &[
    ("austria", "Europe/Vienna"),
    ("azerbaijan", "Asia/Baku"),
    ("belgium", "Europe/Brussels"),
    ("egypt", "Africa/Cairo"),
    ("ethiopia", "Africa/Addis_Ababa"),
    ("france", "Europe/Paris"),
    ("germany", "Europe/Berlin"),
    ("ghana", "Africa/Accra"),
    ("greece", "Europe/Athens"),
    ("india", "Asia/Kolkata"),
    ("italy", "Europe/Rome"),
    ("japan", "Asia/Tokyo"),
    ("kenya", "Africa/Nairobi"),
    ("lithuania", "Europe/Vilnius"),
    ("netherlands", "Europe/Amsterdam"),
    ("nigeria", "Africa/Lagos"),
    ("norway", "Europe/Oslo"),
    ("poland", "Europe/Warsaw"),
    ("rwanda", "Africa/Kigali"),
    ("saudi arabia", "Asia/Riyadh"),
    ("senegal", "Africa/Dakar"),
    ("south africa", "Africa/Johannesburg"),
    ("sweden", "Europe/Stockholm"),
    ("switzerland", "Europe/Zurich"),
    ("turkey", "Europe/Istanbul"),
    ("turkiye", "Europe/Istanbul"),
    ("uganda", "Africa/Kampala"),
    ("united kingdom", "Europe/London"),
];

fn zone(name: &str) -> Option<Tz> {
    name.parse().ok()
}

/// Whether `needle` stands in `haystack` as whole words.
fn has_words(haystack: &str, needle: &str) -> bool {
    haystack.match_indices(needle).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// The zone of the first city named in `text`, else of a single-zone country.
pub fn zone_in(text: &str) -> Option<Tz> {
    let key = search_key(text);
    let first_city = CITIES
        .iter()
        .filter_map(|(city, tz)| {
            key.match_indices(city)
                .find(|(at, _)| has_words(&key[*at..], city) && is_word_start(&key, *at))
                .map(|(at, _)| (at, *tz))
        })
        .min_by_key(|(at, _)| *at);
    first_city
        .map(|(_, tz)| tz)
        .or_else(|| {
            COUNTRIES
                .iter()
                .find(|(country, _)| has_words(&key, country))
                .map(|(_, tz)| *tz)
        })
        .and_then(zone)
}

fn is_word_start(text: &str, at: usize) -> bool {
    !text[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// The zone of the city that `text` ends with ("... Riyadh" before "time").
pub fn zone_ending(text: &str) -> Option<Tz> {
    let key = search_key(text);
    CITIES
        .iter()
        .find(|(city, _)| key.ends_with(city) && is_word_start(&key, key.len() - city.len()))
        .and_then(|(_, tz)| zone(tz))
}

/// Whether the text names a known city or single-zone country.
pub fn names_a_place(text: &str) -> bool {
    zone_in(text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_in_the_tables_exists() {
        for (_, tz) in CITIES.iter().chain(COUNTRIES) {
            assert!(zone(tz).is_some(), "{tz}");
        }
    }

    #[test]
    fn places_give_zones() {
        assert_eq!(
            zone_in("United Nations Office at Geneva, Switzerland"),
            Some(chrono_tz::Europe::Zurich)
        );
        assert_eq!(zone_in("KICC, Nairobi"), Some(chrono_tz::Africa::Nairobi));
        assert_eq!(zone_in("Lillestrøm, Norway"), Some(chrono_tz::Europe::Oslo));
        assert_eq!(zone_in("Online"), None);
        assert_eq!(zone_in("Parisian Hall"), None);
        assert_eq!(zone_ending("riyadh"), Some(chrono_tz::Asia::Riyadh));
    }
}
