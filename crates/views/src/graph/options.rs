//! What a view is asked for: [`ViewOptions`], one typed value read from a web request's
//! query string (serde) and from the command line's flags (clap, with the `clap` feature),
//! and checked as it is read — a value that does not parse is an error naming its field,
//! an empty one is no filter. [`Field`] names each option for forms and view specs; both
//! are made by the one list below, so a new option is one entry there and its use.

use serde::{Deserialize, Deserializer, Serialize};

use policykg_extract::model::Role;

/// Declares the options: each becomes a field of [`ViewOptions`] (with its serde and clap
/// attributes) and a variant of [`Field`] named as the field is in URLs.
macro_rules! view_options {
    ($(
        $(#[doc = $doc:expr])*
        #[serde($($serde:tt)*)]
        $(#[arg($($arg:tt)*)])?
        $field:ident: $type:ty => $variant:ident,
    )*) => {
        /// Filters and parameters of the views, as a request gives them. Absent or empty
        /// fields filter nothing.
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "clap", derive(clap::Args))]
        #[serde(default)]
        pub struct ViewOptions {
            $(
                $(#[doc = $doc])*
                #[serde($($serde)*)]
                #[cfg_attr(feature = "clap", arg(long $(, $($arg)*)?))]
                pub $field: $type,
            )*
        }

        /// An option a view reads, as a web form field and a command-line flag of the
        /// same name (with dashes).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Field {
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Field {
            /// Every field, in the order forms show them.
            pub const ALL: &'static [Field] = &[ $( Field::$variant, )* ];

            /// The name in URLs and forms (`min_weight`).
            pub fn name(self) -> &'static str {
                match self {
                    $( Field::$variant => stringify!($field), )*
                }
            }
        }

        impl ViewOptions {
            /// The value of `field` as a form shows it: empty when not given.
            pub fn value(&self, field: Field) -> String {
                match field {
                    $( Field::$variant => FormValue::shown(&self.$field), )*
                }
            }
        }
    };
}

view_options! {
    /// Only this document: its key (file name), 文号, title or IRI.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    document: Option<String> => Document,
    /// Only this section and its subsections, by id (e.g. 2.3).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    section: Option<String> => Section,
    /// Only tasks linked to this strategy (canonical name, e.g. 粤港澳大湾区建设).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    strategy: Option<String> => Strategy,
    /// Only tasks this unit takes part in (its name).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    unit: Option<String> => Unit,
    /// Only unit links of this role: lead, responsible, supporting, implied.
    #[serde(deserialize_with = "role", skip_serializing_if = "Option::is_none")]
    role: Option<Role> => Role,
    /// Drop edges lighter than this.
    #[serde(deserialize_with = "min_weight", skip_serializing_if = "Option::is_none")]
    min_weight: Option<f64> => MinWeight,
    /// Leave inferred links out.
    #[serde(deserialize_with = "flag", skip_serializing_if = "is_false")]
    stated_only: bool => StatedOnly,
    /// ego: the node in the middle (IRI or label).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    focus: Option<String> => Focus,
    /// ego: how many relations away to go (0 to 10; 1 unless given).
    #[serde(deserialize_with = "depth", skip_serializing_if = "Option::is_none")]
    #[arg(value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(0..=MAX_DEPTH))]
    depth: Option<usize> => Depth,
    /// path: one end (IRI or label).
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    from: Option<String> => From,
    /// path: the other end.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    to: Option<String> => To,
    /// construct: a CONSTRUCT query, or a SELECT of ?s ?p ?o.
    #[serde(deserialize_with = "text", skip_serializing_if = "Option::is_none")]
    query: Option<String> => Query,
    /// Corpus-wide views: how many units to show at most (the most connected first).
    #[serde(deserialize_with = "limit", skip_serializing_if = "Option::is_none")]
    #[arg(value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
    limit: Option<usize> => Limit,
}

impl Field {
    /// The filters of the views drawn from the whole store.
    pub const FILTERS: [Field; 6] = [
        Field::Document,
        Field::Section,
        Field::Strategy,
        Field::Unit,
        Field::Role,
        Field::MinWeight,
    ];

    /// The filters, and how many units to show at most.
    pub const COOPERATION_FILTERS: [Field; 7] = [
        Field::Document,
        Field::Section,
        Field::Strategy,
        Field::Unit,
        Field::Role,
        Field::MinWeight,
        Field::Limit,
    ];

    /// The filters, and whether to leave inferred links out.
    pub const STRATEGY_FIELDS: [Field; 8] = [
        Field::Document,
        Field::Section,
        Field::Strategy,
        Field::Unit,
        Field::Role,
        Field::MinWeight,
        Field::StatedOnly,
        Field::Limit,
    ];
}

/// The deepest `ego` goes.
pub const MAX_DEPTH: u64 = 10;

impl ViewOptions {
    /// The options as a URL's query string, in the fields' order, without the empty ones:
    /// the same options always give the same string.
    pub fn query_string(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }

    /// Reads options from a URL's query string; fields that are not options are ignored.
    pub fn from_query_string(query: &str) -> Result<ViewOptions, OptionsError> {
        serde_urlencoded::from_str(query).map_err(|e| OptionsError(e.to_string()))
    }
}

/// Why a request's options could not be read: names the field and says what it takes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct OptionsError(pub String);

impl policykg_extract::Classified for OptionsError {
    fn kind(&self) -> policykg_extract::ErrorKind {
        policykg_extract::ErrorKind::Invalid
    }
}

/// A value as a form field shows it.
trait FormValue {
    fn shown(&self) -> String;
}

impl<T: std::fmt::Display> FormValue for Option<T> {
    fn shown(&self) -> String {
        self.as_ref().map(ToString::to_string).unwrap_or_default()
    }
}

impl FormValue for bool {
    fn shown(&self) -> String {
        if *self { "true".into() } else { String::new() }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A form's value: an empty field (a form sends every field) is none.
fn given<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.filter(|v| !v.is_empty()))
}

fn text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    given(d)
}

fn role<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Role>, D::Error> {
    given(d)?
        .map(|r| r.parse().map_err(serde::de::Error::custom))
        .transpose()
}

/// A checkbox: set when its value is `true`.
fn flag<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(given(d)?.is_some_and(|v| v == "true"))
}

fn number<'de, D: Deserializer<'de>>(d: D, field: &str) -> Result<Option<f64>, D::Error> {
    given(d)?
        .map(|v| {
            v.parse::<f64>()
                .ok()
                .filter(|n| n.is_finite())
                .ok_or_else(|| {
                    serde::de::Error::custom(format!("{field} must be a number, not {v:?}"))
                })
        })
        .transpose()
}

fn min_weight<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    number(d, "min_weight")
}

fn depth<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    number(d, "depth")?
        .map(|n| {
            if (0.0..=MAX_DEPTH as f64).contains(&n) && n.fract() == 0.0 {
                Ok(n as usize)
            } else {
                Err(serde::de::Error::custom(format!(
                    "depth must be a whole number from 0 to {MAX_DEPTH}"
                )))
            }
        })
        .transpose()
}

/// At least 1: a drawing of no node says nothing.
fn limit<'de, D: Deserializer<'de>>(d: D) -> Result<Option<usize>, D::Error> {
    Ok(number(d, "limit")?.map(|n| n.max(1.0) as usize))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_is_read_by_its_name_and_written_back_the_same() {
        for &field in Field::ALL {
            let value = match field {
                Field::Role => "lead",
                Field::MinWeight => "2.5",
                Field::StatedOnly => "true",
                Field::Depth | Field::Limit => "3",
                _ => "甲",
            };
            let query = format!("{}={}", field.name(), value);
            let options = ViewOptions::from_query_string(&query).expect(&query);
            assert_ne!(options, ViewOptions::default(), "{query}");
            let written = options.query_string();
            assert_eq!(
                ViewOptions::from_query_string(&written).expect(&written),
                options,
                "{query}"
            );
        }
    }

    #[test]
    fn values_are_checked_as_they_are_read() {
        let read = |q: &str| ViewOptions::from_query_string(q).map_err(|e| e.0);
        assert_eq!(
            read("document=&role=&min_weight=&zoom=3"),
            Ok(ViewOptions::default())
        );
        assert_eq!(
            read("min_weight=x").unwrap_err(),
            "min_weight must be a number, not \"x\""
        );
        assert_eq!(
            read("depth=11").unwrap_err(),
            "depth must be a whole number from 0 to 10"
        );
        assert_eq!(
            read("depth=1.5").unwrap_err(),
            "depth must be a whole number from 0 to 10"
        );
        assert!(
            read("role=boss")
                .unwrap_err()
                .starts_with("unknown role \"boss\"")
        );
        assert_eq!(read("limit=0").map(|o| o.limit), Ok(Some(1)));
        assert_eq!(read("stated_only=on").map(|o| o.stated_only), Ok(false));
        // Written in the fields' order, whatever the order given.
        let options = read("unit=省科技厅&document=liaoning-2021-1").expect("options");
        assert_eq!(
            options.query_string(),
            "document=liaoning-2021-1&unit=%E7%9C%81%E7%A7%91%E6%8A%80%E5%8E%85"
        );
    }
}
