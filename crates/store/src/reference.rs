//! A store with its reference data: the ontology and the gazetteer files the linker used,
//! in the reference graph.

use std::path::Path;

use policykg_extract::Gazetteer;

use crate::store::{PolicyStore, StoreError};

/// The reference data stored beside the ontology: the gazetteer files, by their path in
/// the project.
pub fn reference_data(gazetteer: &Gazetteer) -> Vec<(String, String)> {
    gazetteer
        .sources
        .iter()
        .map(|(name, text)| (format!("data/gazetteer/{name}"), text.clone()))
        .collect()
}

/// Opens (or creates) the store at `path` for writing, its reference graph holding the
/// ontology and `gazetteer`.
pub fn open_store(path: &Path, gazetteer: &Gazetteer) -> Result<PolicyStore, StoreError> {
    let store = PolicyStore::open(path)?;
    store.load_reference(&reference_data(gazetteer))?;
    Ok(store)
}

/// A store in memory with the ontology and `gazetteer` as its reference graph.
pub fn memory_store(gazetteer: &Gazetteer) -> Result<PolicyStore, StoreError> {
    let store = PolicyStore::in_memory()?;
    store.load_reference(&reference_data(gazetteer))?;
    Ok(store)
}
