//! Countries (ISO 3166-1 alpha-2) and the United Nations regional groups.
//!
//! A forum such as the Internet Governance Forum reports participation by stakeholder
//! group and by UN regional group, so each country knows its group. Territories and
//! states that are not UN members have no group.

use crate::error::{FieldError, Problem};
use crate::people::closed_list;
use serde::{Deserialize, Serialize};
use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};

/// A United Nations regional group, the unit of geographic balance in UN elections
/// and in multistakeholder bodies modelled on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    African,
    AsiaPacific,
    EasternEuropean,
    LatinAmericanCaribbean,
    WesternEuropeanOthers,
}

impl Region {
    /// Every group, in the order the UN lists them.
    pub const ALL: [Region; 5] = [
        Region::African,
        Region::AsiaPacific,
        Region::EasternEuropean,
        Region::LatinAmericanCaribbean,
        Region::WesternEuropeanOthers,
    ];

    /// The stable identifier, as stored and as serialised: `"asia_pacific"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Region::African => "african",
            Region::AsiaPacific => "asia_pacific",
            Region::EasternEuropean => "eastern_european",
            Region::LatinAmericanCaribbean => "latin_american_caribbean",
            Region::WesternEuropeanOthers => "western_european_others",
        }
    }

    /// The name shown to people: `"Asia-Pacific Group"`.
    pub fn label(self) -> &'static str {
        match self {
            Region::African => "African Group",
            Region::AsiaPacific => "Asia-Pacific Group",
            Region::EasternEuropean => "Eastern European Group",
            Region::LatinAmericanCaribbean => "Latin American and Caribbean Group",
            Region::WesternEuropeanOthers => "Western European and Others Group",
        }
    }

    /// The group whose [`as_str`](Region::as_str) identifier is `id`, exactly.
    pub fn parse(id: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|region| region.as_str() == id)
    }

    /// The countries of this group, in code order.
    pub fn members(self) -> impl Iterator<Item = Country> {
        Country::all().filter(move |country| country.region() == Some(self))
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A country or territory with an ISO 3166-1 alpha-2 code.
///
/// Only [`Country::parse`] and [`Country::all`] make one, so a `Country` is always in
/// the table. It is serialised as its code (`"CH"`).
#[derive(Clone, Copy)]
pub struct Country {
    entry: &'static Entry,
}

impl Country {
    /// Reads an alpha-2 code, in any case, ignoring white space at either end.
    pub fn parse(field: &'static str, raw: &str) -> Result<Country, FieldError> {
        let value = raw.trim();
        if value.is_empty() {
            return Err(FieldError::new(field, Problem::Required));
        }
        Country::from_code(value)
            .ok_or_else(|| FieldError::new(field, Problem::Unknown("country code")))
    }

    fn from_code(code: &str) -> Option<Country> {
        if code.len() != 2 || !code.is_ascii() {
            return None;
        }
        let upper = code.to_ascii_uppercase();
        COUNTRIES
            .binary_search_by(|entry| entry.code.cmp(upper.as_str()))
            .ok()
            .and_then(|index| COUNTRIES.get(index))
            .map(|entry| Country { entry })
    }

    /// Every ISO 3166-1 entry (249), in code order.
    pub fn all() -> impl Iterator<Item = Country> {
        COUNTRIES.iter().map(|entry| Country { entry })
    }

    /// Every entry, in the order of [`search_key`](crate::search::search_key) of the
    /// name, so that "Åland Islands" comes before "Albania" and "Côte d'Ivoire"
    /// before "Croatia": the order for a list that people read.
    pub fn all_by_name() -> Vec<Country> {
        let mut countries: Vec<(String, Country)> = Country::all()
            .map(|country| (crate::search::search_key(country.name()), country))
            .collect();
        countries.sort_by(|a, b| a.0.cmp(&b.0));
        countries.into_iter().map(|(_, country)| country).collect()
    }

    /// The alpha-2 code, upper-case: `"CH"`.
    pub fn code(self) -> &'static str {
        self.entry.code
    }

    /// The English short name as ISO 3166-1 gives it: `"Switzerland"`,
    /// `"Korea, Republic of"`.
    pub fn name(self) -> &'static str {
        self.entry.name
    }

    /// The UN regional group, for the 193 UN member states; `None` for territories
    /// and for states that are not UN members (the Holy See, the State of Palestine).
    pub fn region(self) -> Option<Region> {
        self.entry.region
    }
}

impl PartialEq for Country {
    fn eq(&self, other: &Self) -> bool {
        self.code() == other.code()
    }
}

impl Eq for Country {}

impl Hash for Country {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.code().hash(state);
    }
}

impl PartialOrd for Country {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// By code.
impl Ord for Country {
    fn cmp(&self, other: &Self) -> Ordering {
        self.code().cmp(other.code())
    }
}

impl fmt::Debug for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Country").field(&self.code()).finish()
    }
}

/// The name.
impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for Country {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Country::from_code(&code).ok_or_else(|| {
            serde::de::Error::invalid_value(
                serde::de::Unexpected::Str(&code),
                &"an ISO 3166-1 alpha-2 country code",
            )
        })
    }
}

struct Entry {
    code: &'static str,
    name: &'static str,
    region: Option<Region>,
}

const fn entry(code: &'static str, name: &'static str, region: Option<Region>) -> Entry {
    Entry { code, name, region }
}

const AF: Option<Region> = Some(Region::African);
const AP: Option<Region> = Some(Region::AsiaPacific);
const EE: Option<Region> = Some(Region::EasternEuropean);
const LA: Option<Region> = Some(Region::LatinAmericanCaribbean);
const WE: Option<Region> = Some(Region::WesternEuropeanOthers);
/// Not a UN member state: a territory, or a non-member observer state.
const NO: Option<Region> = None;

/// ISO 3166-1, all 249 officially assigned alpha-2 codes, sorted by code (the same
/// set as tzdata's `iso3166.tab`). Names are ISO's English short names.
///
/// Groups are the UN's as constituted today (DGACM's list of regional groups), with
/// these counts, 193 in all:
///
/// | group | members |
/// | --- | --- |
/// | African | 54 |
/// | Asia-Pacific | 54, with Cyprus and with Kiribati, which joined in 2010 |
/// | Eastern European | 23, with Estonia, Latvia and Lithuania |
/// | Latin American and Caribbean | 33 |
/// | Western European and Others | 29: 28 members (Israel, Türkiye) and the United States |
///
/// The "53" often quoted for Asia-Pacific predates Kiribati's joining, and a WEOG of
/// 30 would need a 194th member: 54 + 54 + 23 + 33 + 29 = 193.
/// Türkiye takes part in both WEOG and Asia-Pacific but counts in WEOG for elections,
/// so it is WEOG here. Israel, geographically in Asia, is a WEOG member. The United
/// States belongs to no group: it attends WEOG as an observer and is counted in WEOG
/// for elections, so it is WEOG here, for practical purposes.
static COUNTRIES: [Entry; 249] = [
    entry("AD", "Andorra", WE),
    entry("AE", "United Arab Emirates", AP),
    entry("AF", "Afghanistan", AP),
    entry("AG", "Antigua and Barbuda", LA),
    entry("AI", "Anguilla", NO),
    entry("AL", "Albania", EE),
    entry("AM", "Armenia", EE),
    entry("AO", "Angola", AF),
    entry("AQ", "Antarctica", NO),
    entry("AR", "Argentina", LA),
    entry("AS", "American Samoa", NO),
    entry("AT", "Austria", WE),
    entry("AU", "Australia", WE),
    entry("AW", "Aruba", NO),
    entry("AX", "Åland Islands", NO),
    entry("AZ", "Azerbaijan", EE),
    entry("BA", "Bosnia and Herzegovina", EE),
    entry("BB", "Barbados", LA),
    entry("BD", "Bangladesh", AP),
    entry("BE", "Belgium", WE),
    entry("BF", "Burkina Faso", AF),
    entry("BG", "Bulgaria", EE),
    entry("BH", "Bahrain", AP),
    entry("BI", "Burundi", AF),
    entry("BJ", "Benin", AF),
    entry("BL", "Saint Barthélemy", NO),
    entry("BM", "Bermuda", NO),
    entry("BN", "Brunei Darussalam", AP),
    entry("BO", "Bolivia (Plurinational State of)", LA),
    entry("BQ", "Bonaire, Sint Eustatius and Saba", NO),
    entry("BR", "Brazil", LA),
    entry("BS", "Bahamas", LA),
    entry("BT", "Bhutan", AP),
    entry("BV", "Bouvet Island", NO),
    entry("BW", "Botswana", AF),
    entry("BY", "Belarus", EE),
    entry("BZ", "Belize", LA),
    entry("CA", "Canada", WE),
    entry("CC", "Cocos (Keeling) Islands", NO),
    entry("CD", "Congo, Democratic Republic of the", AF),
    entry("CF", "Central African Republic", AF),
    entry("CG", "Congo", AF),
    entry("CH", "Switzerland", WE),
    entry("CI", "Côte d'Ivoire", AF),
    entry("CK", "Cook Islands", NO),
    entry("CL", "Chile", LA),
    entry("CM", "Cameroon", AF),
    entry("CN", "China", AP),
    entry("CO", "Colombia", LA),
    entry("CR", "Costa Rica", LA),
    entry("CU", "Cuba", LA),
    entry("CV", "Cabo Verde", AF),
    entry("CW", "Curaçao", NO),
    entry("CX", "Christmas Island", NO),
    // Geographically in Europe, a member of the Asia-Pacific Group.
    entry("CY", "Cyprus", AP),
    entry("CZ", "Czechia", EE),
    entry("DE", "Germany", WE),
    entry("DJ", "Djibouti", AF),
    entry("DK", "Denmark", WE),
    entry("DM", "Dominica", LA),
    entry("DO", "Dominican Republic", LA),
    entry("DZ", "Algeria", AF),
    entry("EC", "Ecuador", LA),
    entry("EE", "Estonia", EE),
    entry("EG", "Egypt", AF),
    entry("EH", "Western Sahara", NO),
    entry("ER", "Eritrea", AF),
    entry("ES", "Spain", WE),
    entry("ET", "Ethiopia", AF),
    entry("FI", "Finland", WE),
    entry("FJ", "Fiji", AP),
    entry("FK", "Falkland Islands (Malvinas)", NO),
    entry("FM", "Micronesia (Federated States of)", AP),
    entry("FO", "Faroe Islands", NO),
    entry("FR", "France", WE),
    entry("GA", "Gabon", AF),
    entry(
        "GB",
        "United Kingdom of Great Britain and Northern Ireland",
        WE,
    ),
    entry("GD", "Grenada", LA),
    entry("GE", "Georgia", EE),
    entry("GF", "French Guiana", NO),
    entry("GG", "Guernsey", NO),
    entry("GH", "Ghana", AF),
    entry("GI", "Gibraltar", NO),
    entry("GL", "Greenland", NO),
    entry("GM", "Gambia", AF),
    entry("GN", "Guinea", AF),
    entry("GP", "Guadeloupe", NO),
    entry("GQ", "Equatorial Guinea", AF),
    entry("GR", "Greece", WE),
    entry("GS", "South Georgia and the South Sandwich Islands", NO),
    entry("GT", "Guatemala", LA),
    entry("GU", "Guam", NO),
    entry("GW", "Guinea-Bissau", AF),
    entry("GY", "Guyana", LA),
    entry("HK", "Hong Kong", NO),
    entry("HM", "Heard Island and McDonald Islands", NO),
    entry("HN", "Honduras", LA),
    entry("HR", "Croatia", EE),
    entry("HT", "Haiti", LA),
    entry("HU", "Hungary", EE),
    entry("ID", "Indonesia", AP),
    entry("IE", "Ireland", WE),
    // Geographically in Asia, a member of WEOG.
    entry("IL", "Israel", WE),
    entry("IM", "Isle of Man", NO),
    entry("IN", "India", AP),
    entry("IO", "British Indian Ocean Territory", NO),
    entry("IQ", "Iraq", AP),
    entry("IR", "Iran (Islamic Republic of)", AP),
    entry("IS", "Iceland", WE),
    entry("IT", "Italy", WE),
    entry("JE", "Jersey", NO),
    entry("JM", "Jamaica", LA),
    entry("JO", "Jordan", AP),
    entry("JP", "Japan", AP),
    entry("KE", "Kenya", AF),
    entry("KG", "Kyrgyzstan", AP),
    entry("KH", "Cambodia", AP),
    // In no group until 2010.
    entry("KI", "Kiribati", AP),
    entry("KM", "Comoros", AF),
    entry("KN", "Saint Kitts and Nevis", LA),
    entry("KP", "Korea (Democratic People's Republic of)", AP),
    entry("KR", "Korea, Republic of", AP),
    entry("KW", "Kuwait", AP),
    entry("KY", "Cayman Islands", NO),
    entry("KZ", "Kazakhstan", AP),
    entry("LA", "Lao People's Democratic Republic", AP),
    entry("LB", "Lebanon", AP),
    entry("LC", "Saint Lucia", LA),
    entry("LI", "Liechtenstein", WE),
    entry("LK", "Sri Lanka", AP),
    entry("LR", "Liberia", AF),
    entry("LS", "Lesotho", AF),
    entry("LT", "Lithuania", EE),
    entry("LU", "Luxembourg", WE),
    entry("LV", "Latvia", EE),
    entry("LY", "Libya", AF),
    entry("MA", "Morocco", AF),
    entry("MC", "Monaco", WE),
    entry("MD", "Moldova, Republic of", EE),
    entry("ME", "Montenegro", EE),
    entry("MF", "Saint Martin (French part)", NO),
    entry("MG", "Madagascar", AF),
    entry("MH", "Marshall Islands", AP),
    entry("MK", "North Macedonia", EE),
    entry("ML", "Mali", AF),
    entry("MM", "Myanmar", AP),
    entry("MN", "Mongolia", AP),
    entry("MO", "Macao", NO),
    entry("MP", "Northern Mariana Islands", NO),
    entry("MQ", "Martinique", NO),
    entry("MR", "Mauritania", AF),
    entry("MS", "Montserrat", NO),
    entry("MT", "Malta", WE),
    entry("MU", "Mauritius", AF),
    entry("MV", "Maldives", AP),
    entry("MW", "Malawi", AF),
    entry("MX", "Mexico", LA),
    entry("MY", "Malaysia", AP),
    entry("MZ", "Mozambique", AF),
    entry("NA", "Namibia", AF),
    entry("NC", "New Caledonia", NO),
    entry("NE", "Niger", AF),
    entry("NF", "Norfolk Island", NO),
    entry("NG", "Nigeria", AF),
    entry("NI", "Nicaragua", LA),
    entry("NL", "Netherlands, Kingdom of the", WE),
    entry("NO", "Norway", WE),
    entry("NP", "Nepal", AP),
    entry("NR", "Nauru", AP),
    entry("NU", "Niue", NO),
    entry("NZ", "New Zealand", WE),
    entry("OM", "Oman", AP),
    entry("PA", "Panama", LA),
    entry("PE", "Peru", LA),
    entry("PF", "French Polynesia", NO),
    entry("PG", "Papua New Guinea", AP),
    entry("PH", "Philippines", AP),
    entry("PK", "Pakistan", AP),
    entry("PL", "Poland", EE),
    entry("PM", "Saint Pierre and Miquelon", NO),
    entry("PN", "Pitcairn", NO),
    entry("PR", "Puerto Rico", NO),
    entry("PS", "Palestine, State of", NO),
    entry("PT", "Portugal", WE),
    entry("PW", "Palau", AP),
    entry("PY", "Paraguay", LA),
    entry("QA", "Qatar", AP),
    entry("RE", "Réunion", NO),
    entry("RO", "Romania", EE),
    entry("RS", "Serbia", EE),
    entry("RU", "Russian Federation", EE),
    entry("RW", "Rwanda", AF),
    entry("SA", "Saudi Arabia", AP),
    entry("SB", "Solomon Islands", AP),
    entry("SC", "Seychelles", AF),
    entry("SD", "Sudan", AF),
    entry("SE", "Sweden", WE),
    entry("SG", "Singapore", AP),
    entry("SH", "Saint Helena, Ascension and Tristan da Cunha", NO),
    entry("SI", "Slovenia", EE),
    entry("SJ", "Svalbard and Jan Mayen", NO),
    entry("SK", "Slovakia", EE),
    entry("SL", "Sierra Leone", AF),
    entry("SM", "San Marino", WE),
    entry("SN", "Senegal", AF),
    entry("SO", "Somalia", AF),
    entry("SR", "Suriname", LA),
    entry("SS", "South Sudan", AF),
    entry("ST", "Sao Tome and Principe", AF),
    entry("SV", "El Salvador", LA),
    entry("SX", "Sint Maarten (Dutch part)", NO),
    entry("SY", "Syrian Arab Republic", AP),
    entry("SZ", "Eswatini", AF),
    entry("TC", "Turks and Caicos Islands", NO),
    entry("TD", "Chad", AF),
    entry("TF", "French Southern Territories", NO),
    entry("TG", "Togo", AF),
    entry("TH", "Thailand", AP),
    entry("TJ", "Tajikistan", AP),
    entry("TK", "Tokelau", NO),
    entry("TL", "Timor-Leste", AP),
    entry("TM", "Turkmenistan", AP),
    entry("TN", "Tunisia", AF),
    entry("TO", "Tonga", AP),
    // In both WEOG and Asia-Pacific; WEOG for elections.
    entry("TR", "Türkiye", WE),
    entry("TT", "Trinidad and Tobago", LA),
    entry("TV", "Tuvalu", AP),
    entry("TW", "Taiwan, Province of China", NO),
    entry("TZ", "Tanzania, United Republic of", AF),
    entry("UA", "Ukraine", EE),
    entry("UG", "Uganda", AF),
    entry("UM", "United States Minor Outlying Islands", NO),
    // In no group: a WEOG observer, counted in WEOG for elections.
    entry("US", "United States of America", WE),
    entry("UY", "Uruguay", LA),
    entry("UZ", "Uzbekistan", AP),
    // The Holy See and the State of Palestine are non-member observer states.
    entry("VA", "Holy See", NO),
    entry("VC", "Saint Vincent and the Grenadines", LA),
    entry("VE", "Venezuela (Bolivarian Republic of)", LA),
    entry("VG", "Virgin Islands (British)", NO),
    entry("VI", "Virgin Islands (U.S.)", NO),
    entry("VN", "Viet Nam", AP),
    entry("VU", "Vanuatu", AP),
    entry("WF", "Wallis and Futuna", NO),
    entry("WS", "Samoa", AP),
    entry("YE", "Yemen", AP),
    entry("YT", "Mayotte", NO),
    entry("ZA", "South Africa", AF),
    entry("ZM", "Zambia", AF),
    entry("ZW", "Zimbabwe", AF),
];

closed_list!(
    /// A UN country group used for eligibility (travel support is often limited to
    /// them): the least developed countries, the landlocked developing countries and
    /// the small island developing states. Members are UN member states only, as
    /// listed by UN-OHRLLS; see [`CountryGroup::codes`].
    CountryGroup, "country group" {
        Ldc => ("ldc", "Least developed countries (LDC)"),
        Lldc => ("lldc", "Landlocked developing countries (LLDC)"),
        Sids => ("sids", "Small island developing states (SIDS)"),
    }
);

/// The LDCs after the graduations of Bangladesh, Lao PDR and Nepal on 24 November
/// 2026 (A/RES/76/8): 41 countries.
const LDC: &[&str] = &[
    "AF", "AO", "BF", "BI", "BJ", "CD", "CF", "DJ", "ER", "ET", "GM", "GN", "GW", "HT", "KH", "KI",
    "KM", "LR", "LS", "MG", "ML", "MM", "MR", "MW", "MZ", "NE", "RW", "SB", "SD", "SL", "SN", "SO",
    "SS", "TD", "TG", "TL", "TV", "TZ", "UG", "YE", "ZM",
];
/// The 32 LLDCs.
const LLDC: &[&str] = &[
    "AF", "AM", "AZ", "BF", "BI", "BO", "BT", "BW", "CF", "ET", "KG", "KZ", "LA", "LS", "MD", "MK",
    "ML", "MN", "MW", "NE", "NP", "PY", "RW", "SS", "SZ", "TD", "TJ", "TM", "UG", "UZ", "ZM", "ZW",
];
/// The 38 SIDS that are UN members (the 20 associate members are territories).
const SIDS: &[&str] = &[
    "AG", "BB", "BH", "BS", "BZ", "CU", "CV", "DM", "DO", "FJ", "FM", "GD", "GW", "GY", "HT", "JM",
    "KI", "KM", "KN", "LC", "MH", "MU", "MV", "NR", "PG", "PW", "SB", "SC", "SG", "SR", "ST", "TL",
    "TO", "TT", "TV", "VC", "VU", "WS",
];

impl CountryGroup {
    /// The alpha-2 codes of the members, sorted.
    pub fn codes(self) -> &'static [&'static str] {
        match self {
            CountryGroup::Ldc => LDC,
            CountryGroup::Lldc => LLDC,
            CountryGroup::Sids => SIDS,
        }
    }

    pub fn contains(self, country: &str) -> bool {
        self.codes().binary_search(&country).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::IntoDeserializer;
    use serde::de::value::{Error as ValueError, StrDeserializer};
    use std::collections::HashSet;

    fn country(code: &str) -> Country {
        Country::parse("country", code).expect("a code in the table")
    }

    fn deserialize<'a, T: Deserialize<'a>>(raw: &'a str) -> Result<T, ValueError> {
        let deserializer: StrDeserializer<'a, ValueError> = raw.into_deserializer();
        T::deserialize(deserializer)
    }

    #[test]
    fn table_is_iso_3166_1_sorted_by_code() {
        assert_eq!(Country::all().count(), 249);
        let codes: Vec<&str> = Country::all().map(Country::code).collect();
        assert!(
            codes.windows(2).all(|pair| pair[0] < pair[1]),
            "not sorted or a duplicate"
        );
        for code in &codes {
            assert!(
                code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()),
                "{code}"
            );
        }
        let names: HashSet<&str> = Country::all().map(Country::name).collect();
        assert_eq!(names.len(), 249, "duplicate name");
        assert!(Country::all().all(|c| !c.name().is_empty() && c.name().trim() == c.name()));
    }

    #[test]
    fn parse_accepts_codes_in_any_case_and_trims() {
        assert_eq!(country("CH").name(), "Switzerland");
        assert_eq!(country(" ch ").code(), "CH");
        assert_eq!(country("cH"), country("Ch"));
        assert_eq!(country("ax").name(), "Åland Islands");
        assert_eq!(country("tr").name(), "Türkiye");
    }

    #[test]
    fn parse_rejects_empty_and_unknown() {
        let err = |raw| Country::parse("nationality", raw).map_err(|e| (e.field, e.problem));
        assert_eq!(err(""), Err(("nationality", Problem::Required)));
        assert_eq!(err("   "), Err(("nationality", Problem::Required)));
        // Kosovo's XK is user-assigned, UK only reserved, EU not a country.
        for bad in [
            "XK",
            "UK",
            "EU",
            "ZZ",
            "C",
            "CHE",
            "756",
            "é",
            "Ch!",
            "Switzerland",
        ] {
            assert_eq!(
                err(bad),
                Err(("nationality", Problem::Unknown("country code"))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn every_code_parses_back_to_itself() {
        for c in Country::all() {
            assert_eq!(Country::parse("c", c.code()), Ok(c));
            assert_eq!(Country::parse("c", &c.code().to_lowercase()), Ok(c));
        }
    }

    #[test]
    fn exactly_the_193_un_members_have_a_group() {
        assert_eq!(Country::all().filter(|c| c.region().is_some()).count(), 193);
        let count = |region: Region| region.members().count();
        assert_eq!(count(Region::African), 54);
        assert_eq!(count(Region::AsiaPacific), 54);
        assert_eq!(count(Region::EasternEuropean), 23);
        assert_eq!(count(Region::LatinAmericanCaribbean), 33);
        assert_eq!(count(Region::WesternEuropeanOthers), 29);
        assert_eq!(Region::ALL.into_iter().map(count).sum::<usize>(), 193);
    }

    #[test]
    fn regional_groups_spot_checks() {
        let cases = [
            ("IL", Region::WesternEuropeanOthers),
            ("US", Region::WesternEuropeanOthers),
            ("TR", Region::WesternEuropeanOthers),
            ("AU", Region::WesternEuropeanOthers),
            ("NZ", Region::WesternEuropeanOthers),
            ("CA", Region::WesternEuropeanOthers),
            ("GB", Region::WesternEuropeanOthers),
            ("CH", Region::WesternEuropeanOthers),
            ("KI", Region::AsiaPacific),
            ("CY", Region::AsiaPacific),
            ("KZ", Region::AsiaPacific),
            ("SA", Region::AsiaPacific),
            ("JP", Region::AsiaPacific),
            ("FJ", Region::AsiaPacific),
            ("EE", Region::EasternEuropean),
            ("LV", Region::EasternEuropean),
            ("LT", Region::EasternEuropean),
            ("RU", Region::EasternEuropean),
            ("GE", Region::EasternEuropean),
            ("AM", Region::EasternEuropean),
            ("AZ", Region::EasternEuropean),
            ("SS", Region::African),
            ("EG", Region::African),
            ("MA", Region::African),
            ("ZA", Region::African),
            ("BR", Region::LatinAmericanCaribbean),
            ("MX", Region::LatinAmericanCaribbean),
            ("TT", Region::LatinAmericanCaribbean),
            ("SR", Region::LatinAmericanCaribbean),
        ];
        for (code, region) in cases {
            assert_eq!(country(code).region(), Some(region), "{code}");
        }
    }

    #[test]
    fn non_members_and_territories_have_no_group() {
        for code in [
            "VA", "PS", "TW", "HK", "MO", "PR", "GL", "FO", "AQ", "EH", "CK", "NU", "GU", "RE",
            "CW", "BM", "GI", "FK", "AX", "IM", "JE", "GG",
        ] {
            assert_eq!(country(code).region(), None, "{code}");
        }
    }

    #[test]
    fn region_ids_and_labels() {
        for region in Region::ALL {
            assert_eq!(Region::parse(region.as_str()), Some(region));
            assert_eq!(region.to_string(), region.label());
            assert_eq!(deserialize::<Region>(region.as_str()), Ok(region));
        }
        assert_eq!(Region::AsiaPacific.as_str(), "asia_pacific");
        assert_eq!(
            Region::LatinAmericanCaribbean.label(),
            "Latin American and Caribbean Group"
        );
        assert_eq!(
            Region::WesternEuropeanOthers.as_str(),
            "western_european_others"
        );
        assert_eq!(Region::parse("Asia-Pacific Group"), None);
        assert_eq!(Region::parse("weog"), None);
        assert!(deserialize::<Region>("asiaPacific").is_err());
        let mut sorted = Region::ALL;
        sorted.sort();
        assert_eq!(sorted, Region::ALL);
    }

    #[test]
    fn country_display_debug_and_serde() {
        let ch = country("ch");
        assert_eq!(ch.to_string(), "Switzerland");
        assert_eq!(format!("{ch:?}"), "Country(\"CH\")");
        assert_eq!(deserialize::<Country>("ke").map(Country::name), Ok("Kenya"));
        assert!(deserialize::<Country>("XK").is_err());
        assert!(country("AD") < country("ZW"));
    }

    #[test]
    fn by_name_order_is_for_reading() {
        let names: Vec<&str> = Country::all_by_name()
            .into_iter()
            .map(Country::name)
            .collect();
        assert_eq!(names.len(), 249);
        assert_eq!(names.first(), Some(&"Afghanistan"));
        assert_eq!(names.get(1), Some(&"Åland Islands"));
        assert_eq!(names.last(), Some(&"Zimbabwe"));
        let position = |name| names.iter().position(|n| *n == name).expect("listed");
        assert!(position("Côte d'Ivoire") < position("Croatia"));
        assert!(position("Türkiye") < position("Turkmenistan"));
    }

    proptest! {
        #[test]
        fn parse_never_panics_and_known_codes_are_upper_case(raw in "\\PC{0,4}") {
            if let Ok(country) = Country::parse("country", &raw) {
                prop_assert_eq!(country.code(), raw.trim().to_ascii_uppercase());
            }
        }

        #[test]
        fn parse_is_case_insensitive(a in "[a-zA-Z]", b in "[a-zA-Z]") {
            let code = format!("{a}{b}");
            prop_assert_eq!(
                Country::parse("c", &code),
                Country::parse("c", &code.to_ascii_uppercase())
            );
        }
    }

    #[test]
    fn country_groups_are_sorted_un_members() {
        for (group, count) in [
            (CountryGroup::Ldc, 41),
            (CountryGroup::Lldc, 32),
            (CountryGroup::Sids, 38),
        ] {
            let codes = group.codes();
            assert_eq!(codes.len(), count, "{group}");
            assert!(codes.windows(2).all(|w| w[0] < w[1]), "{group} sorted");
            for code in codes {
                assert!(
                    country(code).region().is_some(),
                    "{code} of {group} is a UN member"
                );
            }
        }
        assert!(CountryGroup::Lldc.contains("NP") && !CountryGroup::Ldc.contains("NP"));
        assert!(CountryGroup::Sids.contains("SG") && !CountryGroup::Sids.contains("CH"));
    }
}
