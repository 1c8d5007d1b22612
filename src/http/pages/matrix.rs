//! `/matrix`: the responsibility matrix (责任分工矩阵) as a page, filtered like the views,
//! each mark linking to its task; `/matrix.{csv,xlsx,svg,json}`: the same matrix as a file.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use maud::html;

use super::form::filter_fields;
use super::page;
use crate::http::drawing::{Options, cache_key};
use crate::http::{AppError, AppState, run};
use policykg_views::graph::{Field, Mark, Matrix, ViewOptions, build_matrix};
use policykg_views::render::{MatrixFormat, render_matrix};

/// The filters the matrix reads.
const FIELDS: [Field; 6] = [
    Field::Document,
    Field::Section,
    Field::Strategy,
    Field::Unit,
    Field::Role,
    Field::Limit,
];

const STYLE: &str = "table.matrix{font-size:12px}table.matrix td,table.matrix th{padding:1px 3px;text-align:center}\
table.matrix th.unit{writing-mode:vertical-rl;white-space:nowrap;vertical-align:bottom;font-weight:normal;height:9em}\
table.matrix td.task,table.matrix th.task{text-align:left;white-space:nowrap}table.matrix tr.section td{background:#eef2f7;font-weight:bold;text-align:left}\
table.matrix thead th{position:sticky;background:#fff}table.matrix thead tr:first-child th{top:0}table.matrix thead tr:nth-child(2) th{top:1.6em}\
table.matrix td a{text-decoration:none;color:#000}table.matrix tr.total td{font-weight:bold}div.matrix{overflow:auto;max-height:80vh}";

async fn matrix(state: &AppState, options: &ViewOptions) -> Result<Matrix, AppError> {
    let options = options.clone();
    run(state, move |store, token| {
        Ok(build_matrix(store, &options, token)?)
    })
    .await
}

/// GET /matrix.{csv|xlsx|svg|json}: the file, kept until the store changes.
pub async fn matrix_file(
    state: &AppState,
    format: MatrixFormat,
    options: ViewOptions,
) -> Result<Response, AppError> {
    let key = cache_key(&format!("matrix.{}", format.extension()), &options);
    let generation = || state.store().generation();
    let bytes = state
        .drawings
        .get_or_make(generation, key, || async {
            let matrix = matrix(state, &options).await?;
            Ok::<_, AppError>(Bytes::from(render_matrix(
                &matrix,
                format,
                &state.base_url,
            )?))
        })
        .await?;
    let disposition = format!("inline; filename=\"matrix.{}\"", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

macro_rules! file_route {
    ($name:ident, $format:expr) => {
        pub async fn $name(
            State(state): State<AppState>,
            Options(options): Options,
        ) -> Result<Response, AppError> {
            matrix_file(&state, $format, options).await
        }
    };
}

file_route!(matrix_csv, MatrixFormat::Csv);
file_route!(matrix_xlsx, MatrixFormat::Xlsx);
file_route!(matrix_svg, MatrixFormat::Svg);
file_route!(matrix_json, MatrixFormat::Json);

/// Above this many documents, the page asks for a filter before it builds a matrix: one
/// of the whole corpus is a table nobody reads and costs a scan of every task.
const UNFILTERED_DOCUMENTS: u64 = 20;

/// GET /matrix: the filters, the downloads and the table.
pub async fn matrix_page(
    State(state): State<AppState>,
    Options(options): Options,
) -> Result<Response, AppError> {
    let filtered = [
        Field::Document,
        Field::Section,
        Field::Strategy,
        Field::Unit,
    ]
    .iter()
    .any(|&f| !options.value(f).is_empty());
    let documents = state.store().totals()?.documents;
    let matrix = if filtered || documents <= UNFILTERED_DOCUMENTS {
        Some(matrix(&state, &options).await?)
    } else {
        None
    };
    let query = options.query_string();
    let body = page(
        "responsibility matrix 责任分工矩阵",
        html! {
            style { (maud::PreEscaped(STYLE)) }
            form method="get" {
                (filter_fields(&FIELDS, &options, None))
                button type="submit" { "apply" }
            }
            @match &matrix {
                Some(matrix) => (table(matrix, &query)),
                None => p class="note" {
                    "This store holds " (documents) " documents: choose a document, a section, a strategy or a unit."
                },
            }
        },
    );
    Ok(body.into_response())
}

/// The counts, the downloads and the table itself.
fn table(matrix: &Matrix, query: &str) -> maud::Markup {
    let counts = matrix.mark_counts();
    html! {
            p {
                (matrix.rows.len()) " tasks × " (matrix.columns.len()) " units: "
                @for mark in Mark::ALL {
                    (mark.symbol()) " " (mark.chinese()) " " (mark.name()) " " (counts[mark as usize]) "  "
                }
                " · Download: "
                @for format in MatrixFormat::ALL {
                    a class="download" href={ "/matrix." (format) "?" (query) } { (format) } " "
                }
            }
            @if let Some(note) = &matrix.note {
                p class="note" { (note) }
            }
            div class="matrix" {
                table class="matrix" {
                    thead {
                        tr {
                            th class="task" { "kind" }
                            @for (kind, range) in matrix.column_groups() {
                                th colspan=(range.len()) { (kind) }
                            }
                            th { }
                        }
                        tr {
                            th class="task" { "task \\ unit" }
                            @for column in &matrix.columns {
                                th class="unit" title={ (column.label) ": " (column.total()) " tasks" } {
                                    a href={ "/entity?iri=" (encode(&column.unit)) } { (column.label) }
                                }
                            }
                            th class="unit" { "total" }
                        }
                    }
                    tbody {
                        @for (i, row) in matrix.rows.iter().enumerate() {
                            @if i == 0 || matrix.rows[i - 1].section != row.section {
                                tr class="section" {
                                    td colspan=(matrix.columns.len() + 2) { (matrix.sections[row.section]) }
                                }
                            }
                            tr {
                                td class="task" {
                                    a href={ "/entity?iri=" (encode(&row.task)) } { (row.label) }
                                }
                                @for (c, cell) in row.cells.iter().enumerate() {
                                    td {
                                        @if let Some(mark) = cell {
                                            a href={ "/entity?iri=" (encode(&row.task)) }
                                                title={ (matrix.columns[c].label) " " (mark.chinese()) " " (mark.name()) } {
                                                (mark.symbol())
                                            }
                                        }
                                    }
                                }
                                td { (Matrix::row_total(row)) }
                            }
                        }
                        tr class="total" {
                            td class="task" { "total" }
                            @for column in &matrix.columns {
                                td { (column.total()) }
                            }
                            td { (counts.iter().sum::<usize>()) }
                        }
                    }
                }
            }
    }
}

fn encode(iri: &str) -> String {
    serde_urlencoded::to_string([("", iri)])
        .map(|s| s.trim_start_matches('=').to_string())
        .unwrap_or_default()
}
