//! The filter form every page of views shares: a field for each option the view reads,
//! showing the options as given.

use maud::{Markup, html};

use super::last_segment;
use super::queries::DocumentRow;
use policykg_extract::model::Role;
use policykg_views::graph::{Field, ViewOptions};

/// The form's fields for `fields` (but a query, which takes a text area of its own), with
/// the values of `options`. With `documents`, the document is picked from that list.
pub fn filter_fields(
    fields: &[Field],
    options: &ViewOptions,
    documents: Option<&[DocumentRow]>,
) -> Markup {
    html! {
        @for &field in fields.iter().filter(|&&f| f != Field::Query) {
            @let (key, value) = (field.name(), options.value(field));
            @match (field, documents) {
                (Field::StatedOnly, _) => {
                    label { input type="checkbox" name=(key) value="true" checked[value == "true"]; " stated only" } " "
                }
                (Field::Role, _) => {
                    label { "role " select name="role" {
                        option value="" { "all" }
                        @for role in Role::ALL {
                            option value=(role.as_str()) selected[value == role.as_str()] { (role.as_str()) }
                        }
                    } } " "
                }
                (Field::Document, Some(documents)) => {
                    label { "document " select name="document" {
                        option value="" { "all" }
                        @for d in documents {
                            @let key = last_segment(&d.doc);
                            option value=(key) selected[value == key] {
                                (d.title)
                            }
                        }
                    } } " "
                }
                _ => {
                    label { (key) " " input name=(key) value=(value) size="12"; } " "
                }
            }
        }
    }
}
