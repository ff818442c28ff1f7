//! JSON Schemas of the API's request bodies and responses, derived from their Rust types
//! (`schemars`), so that a field added to a body or a response is in the OpenAPI document
//! by construction.
//!
//! Bodies are described as they are read (serde's deserialize contract: a
//! `#[serde(default)]` field may be left out) and responses as they are written (every
//! field is present unless skipped when empty). What serde cannot say is added beside the
//! field:
//! - a field the use case requires, although serde reads it as empty when missing so that
//!   the use case can name it in its 422 the way the page's form does:
//!   `#[schemars(extend("x-required" = true))]`;
//! - a text holding a date, an instant or a closed list of names:
//!   `#[schemars(with = "schema::Date")]`, `with = "names::MeetingKind"`;
//! - an `Option` that may be left out but is never `null` (`deserialize_with = "non_null"`):
//!   `#[schemars(with = "T")]`.

use schemars::generate::{Contract, SchemaSettings};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// The marker of a required body field (see the module's documentation); the document
/// moves it into the object's `required` list.
const REQUIRED_MARK: &str = "x-required";

/// Collects the schemas of the types that the document's operations name, as
/// `#/components/schemas/{Name}`.
pub(crate) struct Schemas {
    bodies: SchemaGenerator,
    responses: SchemaGenerator,
}

impl Default for Schemas {
    fn default() -> Self {
        let generator = |contract: Contract| {
            SchemaSettings::draft2020_12()
                .with(|s| {
                    s.definitions_path = "/components/schemas".into();
                    s.meta_schema = None;
                    s.contract = contract;
                })
                .into_generator()
        };
        Schemas {
            bodies: generator(Contract::Deserialize),
            responses: generator(Contract::Serialize),
        }
    }
}

impl Schemas {
    /// The schema of a request body of type `T`: a reference to its component.
    pub(crate) fn body<T: JsonSchema>(&mut self) -> Value {
        self.bodies.subschema_for::<T>().to_value()
    }

    /// The schema of a response of type `T`: a reference to its component.
    pub(crate) fn response<T: JsonSchema>(&mut self) -> Value {
        self.responses.subschema_for::<T>().to_value()
    }

    /// Every component schema collected, bodies and responses. A type that is both read
    /// and written must read as it is written (else it takes two names); the document's
    /// test checks that no name is given two schemas.
    pub(crate) fn into_components(mut self) -> Result<Map<String, Value>, String> {
        let mut all = self.bodies.take_definitions(true);
        for (name, schema) in self.responses.take_definitions(true) {
            match all.get(&name) {
                Some(existing) if *existing != schema => {
                    return Err(format!("{name} is read and written differently"));
                }
                Some(_) => {}
                None => {
                    all.insert(name, schema);
                }
            }
        }
        all.values_mut().for_each(required_marks);
        Ok(all)
    }
}

/// Moves every `x-required` marker of an object's properties into its `required` list.
fn required_marks(value: &mut Value) {
    match value {
        Value::Object(object) => {
            let mut marked = Vec::new();
            if let Some(Value::Object(properties)) = object.get_mut("properties") {
                for (name, property) in properties.iter_mut() {
                    let Some(p) = property.as_object_mut() else {
                        continue;
                    };
                    // What serde puts in place of a missing field is the use case's
                    // business (a `null` there would read as allowed).
                    p.remove("default");
                    if p.remove(REQUIRED_MARK).is_some() {
                        marked.push(Value::String(name.clone()));
                    }
                }
            }
            if !marked.is_empty() {
                let required = object
                    .entry("required")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(list) = required {
                    for name in marked {
                        if !list.contains(&name) {
                            list.push(name);
                        }
                    }
                }
            }
            object.values_mut().for_each(required_marks);
        }
        Value::Array(items) => items.iter_mut().for_each(required_marks),
        _ => {}
    }
}

/// A text holding a calendar date, `YYYY-MM-DD`.
pub(crate) struct Date;

impl JsonSchema for Date {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date" })
    }
}

/// A text holding an instant in UTC, RFC 3339.
pub(crate) struct Instant;

impl JsonSchema for Instant {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "string", "format": "date-time" })
    }
}

/// The scope of a role: `global`, `body:ID` or `event:ID`.
pub(crate) struct Scope;

impl JsonSchema for Scope {
    fn schema_name() -> Cow<'static, str> {
        "Scope".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^(global|body:[0-9]+|event:[0-9]+)$",
            "description": "`global`, `body:ID` or `event:ID`"
        })
    }
}

/// Any JSON value (a record's free-form detail).
pub(crate) struct AnyValue;

impl JsonSchema for AnyValue {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "AnyValue".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({})
    }
}

/// A list of records: `{ "items": [...] }`.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub(crate) struct Items<T> {
    pub items: Vec<T>,
}

impl<T> Items<T> {
    pub(crate) fn of(items: impl IntoIterator<Item = T>) -> Self {
        Items {
            items: items.into_iter().collect(),
        }
    }
}

/// One page of a longer list.
#[derive(Serialize, JsonSchema)]
#[schemars(inline)]
pub(crate) struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
    /// From 1.
    pub page: i64,
    pub page_size: i64,
}

/// Defines types whose schema is a closed list of names, the ids of a domain list
/// (`Name => plenary_domain::…::ALL;`, each value with `as_str()`): a component `Name`.
macro_rules! closed_names {
    ($($(#[$doc:meta])* $name:ident => $values:expr;)*) => {$(
        $(#[$doc])*
        pub(crate) struct $name;

        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                let names: Vec<&str> = $values.iter().map(|v| v.as_str()).collect();
                schemars::json_schema!({ "type": "string", "enum": names })
            }
        }
    )*};
}
pub(crate) use closed_names;

/// The closed lists that several parts of the API name.
pub(crate) mod names {
    super::closed_names! {
        /// A role of an account.
        Role => plenary_domain::Role::ALL;
        /// A kind of meeting.
        MeetingKind => plenary_domain::meetings::MeetingKind::ALL;
        /// How a meeting is held.
        MeetingMode => plenary_domain::meetings::MeetingMode::ALL;
        /// A stakeholder group.
        StakeholderGroup => plenary_domain::people::StakeholderGroup::ALL;
        /// A language (one of the six of the United Nations).
        Language => plenary_domain::people::Language::ALL;
        /// A kind of body.
        BodyKind => plenary_domain::people::BodyKind::ALL;
        /// A role in a body.
        MembershipRole => plenary_domain::people::MembershipRole::ALL;
        /// Where a visa letter request stands.
        VisaStatus => plenary_domain::visa::VisaStatus::ALL;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, JsonSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Probe {
        #[serde(default)]
        #[schemars(extend("x-required" = true))]
        title: String,
        #[serde(default)]
        note: String,
        #[serde(default)]
        #[schemars(with = "Option<Date>")]
        due_on: Option<String>,
    }

    #[derive(Serialize, JsonSchema)]
    struct Out {
        id: i64,
        #[serde(skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        at: Option<i64>,
    }

    #[test]
    fn bodies_are_closed_with_their_required_fields_and_responses_list_what_is_always_sent() {
        let mut schemas = Schemas::default();
        assert_eq!(
            schemas.body::<Probe>(),
            json!({ "$ref": "#/components/schemas/Probe" })
        );
        schemas.response::<Out>();
        let components = schemas.into_components().expect("no clash");
        let probe = &components["Probe"];
        assert_eq!(probe["additionalProperties"], json!(false));
        assert_eq!(probe["required"], json!(["title"]));
        assert_eq!(probe["properties"]["title"], json!({ "type": "string" }));
        assert_eq!(
            probe["properties"]["due_on"],
            json!({ "type": ["string", "null"], "format": "date" })
        );
        let out = &components["Out"];
        assert_eq!(out["required"], json!(["id", "at"]));
        assert_eq!(out["properties"]["at"]["type"], json!(["integer", "null"]));
    }
}
