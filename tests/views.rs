//! Graph views, analysis and rendering on the seed: exact node and edge counts, named
//! edges with their weights and evidence, components and betweenness, DOT that parses back
//! and renders without warnings, escaping, GraphML read back, and the chains of `path`.

use crate::util;

use std::path::Path;
use std::process::Command;

use petgraph::visit::EdgeRef;

use policykg_extract::extract_bytes;
use policykg_extract::link::Gazetteer;
use policykg_extract::model::Role;
use policykg_store::PolicyStore;
use policykg_views::graph::{Relation, View, ViewOptions, analyze, build_view, path_hops};
use policykg_views::render::{DotOptions, to_dot, to_graphml};

fn store() -> PolicyStore {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store.ingest(&util::seed()).expect("ingest");
    store
}

fn view(store: &PolicyStore, name: &str, options: &ViewOptions) -> View {
    let kind = name.parse().unwrap_or_else(|e| panic!("{e}"));
    build_view(
        store,
        kind,
        options,
        policykg_store::sparql::CancellationToken::new(),
    )
    .unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The view as DOT, its nodes sized by their measures.
fn dot_of(view: &View) -> String {
    to_dot(view, &analyze(view), &DotOptions::default())
}

fn count(view: &View, relation: Relation) -> usize {
    view.graph
        .edge_weights()
        .filter(|e| e.relation == relation)
        .count()
}

#[test]
fn dependency_view() {
    let s = store();
    let v = view(&s, "dependency", &ViewOptions::default());
    // 1 document, 二、主要任务 and its 7 subsections, 24 tasks, 42 units.
    assert_eq!((v.graph.node_count(), v.graph.edge_count()), (75, 171));
    assert_eq!(count(&v, Relation::Lead), 31);
    assert_eq!(count(&v, Relation::Responsible), 108);
    assert_eq!(count(&v, Relation::Contains), 1 + 7 + 24);
    // Each link counts once, though the unit's triples sit in two graphs.
    let shenfu = analyze(&v)
        .into_iter()
        .find(|m| m.label == "沈抚示范区管委会")
        .expect("unit");
    assert_eq!(
        (shenfu.degree, shenfu.responsible_degree, shenfu.lead_degree),
        (24, 24, 0)
    );
    assert_eq!(shenfu.weighted_degree, 24.0);
    let lead = v
        .edge_between(
            "3 加快中国(辽宁)自由贸易试验区建设",
            "省商务厅",
            Relation::Lead,
        )
        .map(|e| e.evidence.clone());
    assert!(lead.is_none(), "task numbers are per section");
    let lead = v
        .edge_between(
            "4 加快中国(辽宁)自由贸易试验区建设",
            "省商务厅",
            Relation::Lead,
        )
        .expect("lead edge");
    assert!(lead.evidence[0].contains("牵头单位:省商务厅"));
    let filtered = view(
        &s,
        "dependency",
        &ViewOptions {
            role: Some(Role::Lead),
            section: Some("2.3".into()),
            ..ViewOptions::default()
        },
    );
    // 二 → （三）, 5 tasks, their 6 lead references to 4 units.
    assert_eq!(count(&filtered, Relation::Lead), 6);
    assert_eq!(count(&filtered, Relation::Responsible), 0);
    assert_eq!(filtered.graph.node_count(), 1 + 2 + 5 + 4);
}

#[test]
fn cooperation_view_and_its_measures() {
    let s = store();
    let v = view(&s, "cooperation", &ViewOptions::default());
    assert_eq!((v.graph.node_count(), v.graph.edge_count()), (42, 229));
    let edge = v
        .edge_between("省发展改革委", "省科技厅", Relation::Cooperation)
        .expect("the two share tasks");
    assert_eq!(edge.weight, 6.0);
    let mut tasks = edge.evidence.clone();
    tasks.sort();
    assert_eq!(
        tasks,
        [
            "共建国家区域医疗中心",
            "发展现代服务业",
            "壮大战略性新兴产业",
            "推进军民融合发展",
            "提升传统产业",
            "深化营商环境优化对接",
        ]
    );
    let measures = analyze(&v);
    assert!(measures.iter().all(|m| m.component == 0), "one component");
    let mut ranked = measures;
    ranked.sort_by(|a, b| b.betweenness.total_cmp(&a.betweenness));
    let top: Vec<&str> = ranked.iter().take(2).map(|m| m.label.as_str()).collect();
    assert_eq!(top, ["沈抚示范区管委会", "各市政府"]);
    let heavy = view(
        &s,
        "cooperation",
        &ViewOptions {
            min_weight: Some(10.0),
            ..ViewOptions::default()
        },
    );
    assert!(heavy.graph.edge_weights().all(|e| e.weight >= 10.0));
    assert!(heavy.graph.edge_count() > 0 && heavy.graph.edge_count() < 229);
}

#[test]
fn strategy_view_keeps_stated_and_inferred_apart() {
    let s = store();
    let v = view(&s, "strategy", &ViewOptions::default());
    assert_eq!(count(&v, Relation::StatedStrategy), 11);
    // 16 regions named by themselves and 13 compact forms (京津冀 …); the 46 members of
    // those forms are inferred.
    assert_eq!(count(&v, Relation::StatedRegion), 29);
    assert_eq!(count(&v, Relation::InferredRegion), 46);
    // 22 named platforms and 9 more the text plans to build (东北信息中心 …).
    assert_eq!(count(&v, Relation::StatedPlatform), 31);
    assert!(count(&v, Relation::InferredStrategy) > 0);
    let stated = view(
        &s,
        "strategy",
        &ViewOptions {
            stated_only: true,
            ..ViewOptions::default()
        },
    );
    assert_eq!(count(&stated, Relation::InferredStrategy), 0);
    let dot = dot_of(&v);
    assert!(dot.contains("style=\"dashed\",color=\"#bf9000\"") || dot.contains("style=\"dashed\""));
}

#[test]
fn region_view_with_pairings() {
    let s = store();
    let v = view(&s, "region", &ViewOptions::default());
    assert_eq!(count(&v, Relation::Pairing), 3);
    assert_eq!(count(&v, Relation::Partner), 25);
    let shanghai = v
        .edge_between("辽宁", "上海", Relation::Partner)
        .expect("partner");
    assert_eq!(shanghai.weight, 5.0);
    assert!(v.edge_between("沈阳", "北京", Relation::Pairing).is_some());
}

#[test]
fn ego_view() {
    let s = store();
    let v = view(
        &s,
        "ego",
        &ViewOptions {
            focus: Some("省科技厅".into()),
            depth: Some(1),
            ..ViewOptions::default()
        },
    );
    // The unit and the 12 tasks it takes part in.
    assert_eq!(v.graph.node_count(), 13);
    let missing = build_view(
        &s,
        policykg_views::graph::ViewKind::Ego,
        &ViewOptions {
            focus: Some("省科技局".into()),
            ..ViewOptions::default()
        },
        policykg_store::sparql::CancellationToken::new(),
    );
    let message = missing.expect_err("no such node").to_string();
    assert!(message.contains("省科技局"), "{message}");
}

#[test]
fn path_from_a_unit_to_a_strategy_with_evidence() {
    let s = store();
    let options = ViewOptions {
        from: Some("省科技厅".into()),
        to: Some("粤港澳大湾区建设".into()),
        ..ViewOptions::default()
    };
    let chains = path_hops(
        &s,
        &options,
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect("paths");
    assert_eq!(
        chains.len(),
        12,
        "one chain through each of 省科技厅's tasks"
    );
    for chain in &chains {
        assert_eq!(chain.len(), 2);
        assert_eq!(chain[0].from, "省科技厅");
        assert!(matches!(
            chain[0].relation,
            Relation::Lead | Relation::Responsible
        ));
        assert!(chain[0].evidence[0].contains("省科技厅"), "{:?}", chain[0]);
        assert_eq!(chain[1].to, "粤港澳大湾区建设");
        assert!(!chain[1].evidence.is_empty());
    }
    let first = &chains[0];
    assert_eq!(first[0].to, "1 完善产学研协同创新机制");
    assert_eq!(first[1].relation, Relation::InferredStrategy);
    let v = view(&s, "path", &options);
    assert_eq!(v.graph.node_count(), 14);
}

#[test]
fn construct_view() {
    let s = store();
    let query = "CONSTRUCT { ?t pol:leadUnit ?u } WHERE { ?t pol:leadUnit ?u ; pol:section/pol:number \"三\" }";
    let v = view(
        &s,
        "construct",
        &ViewOptions {
            query: Some(query.into()),
            ..ViewOptions::default()
        },
    );
    assert_eq!((v.graph.node_count(), v.graph.edge_count()), (5 + 4, 6));
    assert!(
        v.graph
            .edge_weights()
            .all(|e| e.label.as_deref() == Some("pol:leadUnit"))
    );
}

#[test]
fn dot_parses_back_renders_cleanly_and_is_deterministic() {
    let s = store();
    for name in ["dependency", "cooperation", "strategy", "region"] {
        let v = view(&s, name, &ViewOptions::default());
        let dot = dot_of(&v);
        assert_eq!(dot, dot_of(&view(&s, name, &ViewOptions::default())));
        graphviz_rust::parse(&dot).unwrap_or_else(|e| panic!("{name}: DOT does not parse: {e}"));
        let mut child = Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("Graphviz is installed by make test");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), dot.as_bytes())
            .expect("write");
        let out = child.wait_with_output().expect("dot runs");
        assert!(out.status.success(), "{name}");
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "{name}: dot warned"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
fn labels_are_escaped() {
    let text = "某市人民政府关于某事的意见\n一、任务\n（一）做\"甲\"事。（牵头单位：市\"科技\"局\\<script>alert(1)</script>）\n";
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    store
        .ingest(
            &extract_bytes(
                text.as_bytes(),
                Path::new("escape.txt"),
                Gazetteer::builtin(),
            )
            .expect("parse"),
        )
        .expect("ingest");
    let v = view(&store, "dependency", &ViewOptions::default());
    let dot = dot_of(&v);
    // Names are normalised to full-width brackets; quotes and the backslash are escaped.
    assert!(
        dot.contains(r#"label="市\"科技\"局\\<script>alert（1）</script>""#),
        "{dot}"
    );
    let parsed = graphviz_rust::parse(&dot).expect("escaped DOT parses");
    drop(parsed);
    let svg = policykg_views::render::render(
        &dot,
        policykg_views::render::ImageFormat::Svg,
        policykg_views::render::Engine::Dot,
        std::time::Duration::from_secs(30),
    )
    .expect("renders");
    let svg = String::from_utf8(svg).expect("utf-8");
    assert!(
        !svg.contains("<script>"),
        "the SVG holds no live script element"
    );
    assert!(svg.contains("&lt;script&gt;"));
}

#[test]
fn images_render_and_a_missing_program_is_named() {
    let s = store();
    let dot = dot_of(&view(&s, "region", &ViewOptions::default()));
    let png = policykg_views::render::render(
        &dot,
        policykg_views::render::ImageFormat::Png,
        policykg_views::render::Engine::Neato,
        std::time::Duration::from_secs(30),
    )
    .expect("png");
    assert_eq!(&png[..4], b"\x89PNG");
    let pdf = policykg_views::render::render(
        &dot,
        policykg_views::render::ImageFormat::Pdf,
        policykg_views::render::Engine::Dot,
        std::time::Duration::from_secs(30),
    )
    .expect("pdf");
    assert_eq!(&pdf[..4], b"%PDF");
    let dir = std::env::temp_dir().join(format!("policykg-views-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let status = Command::new(env!("CARGO_BIN_EXE_policykg"))
        .args(["--store"])
        .arg(&dir)
        .args(["ingest"])
        .arg(util::seed_path())
        .output()
        .expect("ingest");
    assert!(status.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_policykg"))
        .args(["--store"])
        .arg(&dir)
        .args(["export", "region", "--format", "svg"])
        .env("PATH", "/nonexistent")
        .output()
        .expect("runs");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Graphviz program `neato` not found"),
        "{stderr}"
    );
    let dot = Command::new(env!("CARGO_BIN_EXE_policykg"))
        .args(["--store"])
        .arg(&dir)
        .args(["export", "region", "--format", "dot"])
        .env("PATH", "/nonexistent")
        .output()
        .expect("runs");
    assert!(dot.status.success(), "DOT needs no Graphviz");
}

#[test]
fn graphml_reads_back_with_the_same_counts() {
    let s = store();
    let v = view(&s, "cooperation", &ViewOptions::default());
    let xml = to_graphml(&v, &analyze(&v));
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let (mut nodes, mut edges, mut keys) = (0, 0, 0);
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).expect("well-formed XML") {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().as_ref() {
                    b"node" => nodes += 1,
                    b"edge" => edges += 1,
                    b"key" => keys += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    assert_eq!((nodes, edges, keys), (42, 229, 14));

    // A second reader: NetworkX, installed by make test where Python is present.
    let has_networkx = Command::new("python3")
        .args(["-c", "import networkx"])
        .status()
        .is_ok_and(|s| s.success());
    if has_networkx {
        let path = std::env::temp_dir().join(format!("policykg-{}.graphml", std::process::id()));
        std::fs::write(&path, &xml).expect("write");
        let script = "import sys, networkx as nx\ng = nx.read_graphml(sys.argv[1])\nw = [d['weight'] for _, _, d in g.edges(data=True)]\nc = sorted({d['community'] for _, d in g.nodes(data=True)})\nwd = sum(d['weighted_degree'] for _, d in g.nodes(data=True))\nprint(g.number_of_nodes(), g.number_of_edges(), type(w[0]).__name__, int(max(w)), c, wd == 2 * sum(w))";
        let out = Command::new("python3")
            .args(["-c", script])
            .arg(&path)
            .output()
            .expect("python runs");
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).trim(),
            "42 229 float 23 [0, 1, 2, 3, 4] True",
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn the_strategy_view_of_a_corpus_folds_its_tasks_into_weighted_links() {
    let (store, docs) = generated_store(20);
    let tasks: usize = docs.iter().map(|d| d.tasks.len()).sum();
    assert!(tasks > 300, "{tasks} tasks: too few to fold");
    // What the model says: for every task, each strategy with each region, group and
    // platform it names.
    let mut expected: std::collections::BTreeMap<(String, String), f64> = Default::default();
    for task in docs.iter().flat_map(|d| &d.tasks) {
        let links = &task.links;
        let targets: std::collections::BTreeSet<&str> = links
            .regions
            .iter()
            .chain(&links.region_groups)
            .chain(&links.platforms)
            .map(|l| l.name.as_str())
            .collect();
        for strategy in links
            .strategies
            .iter()
            .map(|l| l.name.as_str())
            .collect::<std::collections::BTreeSet<_>>()
        {
            for target in &targets {
                *expected
                    .entry((strategy.to_string(), target.to_string()))
                    .or_default() += 1.0;
            }
        }
    }
    let all = ViewOptions {
        limit: Some(10_000),
        min_weight: Some(1.0),
        ..Default::default()
    };
    let folded = view(&store, "strategy", &all);
    assert!(
        folded
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("tasks folded away")),
        "{:?}",
        folded.note
    );
    let mut found: std::collections::BTreeMap<(String, String), f64> = Default::default();
    for edge in folded.graph.edge_indices() {
        let (a, b) = folded.graph.edge_endpoints(edge).expect("ends");
        let key = (folded.graph[a].label.clone(), folded.graph[b].label.clone());
        *found.entry(key).or_default() += folded.graph[edge].weight;
    }
    assert_eq!(found, expected);
    // The default drawing keeps the most named regions and platforms, and says so.
    let default = view(&store, "strategy", &ViewOptions::default());
    let targets = default
        .graph
        .node_indices()
        .filter(|&n| default.graph[n].kind != policykg_views::graph::NodeKind::Strategy)
        .count();
    assert!(targets <= 120, "{targets}");
    // With a document chosen, the tasks are there again.
    let one = view(
        &store,
        "strategy",
        &ViewOptions {
            document: Some(policykg_extract::vocab::document_key(&docs[0].source.path)),
            ..Default::default()
        },
    );
    assert!(one.note.is_none());
    assert!(
        one.graph
            .node_weights()
            .any(|n| n.kind == policykg_views::graph::NodeKind::Task)
    );
    // The dependency view of all those tasks is refused with what to do instead; of one
    // document it is drawn.
    let kind: policykg_views::graph::ViewKind = "dependency".parse().expect("a view");
    let refused = build_view(
        &store,
        kind,
        &ViewOptions::default(),
        policykg_store::sparql::CancellationToken::new(),
    )
    .expect_err("too many tasks")
    .to_string();
    assert_eq!(
        refused,
        format!(
            "the dependency view of all {tasks} tasks is too large to read (and to make within the time limits): choose a document, a section, a strategy or a unit, or see the responsibility matrix (/matrix, `policykg export matrix`)"
        )
    );
    let one = view(
        &store,
        "dependency",
        &ViewOptions {
            document: Some(policykg_extract::vocab::document_key(&docs[0].source.path)),
            ..Default::default()
        },
    );
    assert_eq!(
        one.graph
            .node_weights()
            .filter(|n| n.kind == policykg_views::graph::NodeKind::Task)
            .count(),
        docs[0].tasks.len()
    );
}

#[test]
fn communities_are_the_same_every_run_and_each_is_connected() {
    let s = store();
    let partition = |v: &View| -> std::collections::BTreeMap<String, usize> {
        policykg_views::graph::communities(v)
            .into_iter()
            .map(|(n, c)| (v.graph[n].id.clone(), c))
            .collect()
    };
    let v = view(&s, "cooperation", &ViewOptions::default());
    let first = partition(&v);
    for _ in 0..3 {
        let again = view(&s, "cooperation", &ViewOptions::default());
        assert_eq!(partition(&again), first);
    }
    let mut sizes = vec![0; 5];
    for c in first.values() {
        sizes[*c] += 1;
    }
    assert_eq!(sizes, [14, 10, 9, 6, 3], "largest first");
    // Every community is connected within itself.
    let by_index = policykg_views::graph::communities(&v);
    for community in 0..sizes.len() {
        let members: Vec<_> = by_index
            .iter()
            .filter(|(_, c)| **c == community)
            .map(|(n, _)| *n)
            .collect();
        let mut seen = std::collections::BTreeSet::from([members[0]]);
        let mut stack = vec![members[0]];
        while let Some(n) = stack.pop() {
            for m in v.graph.neighbors_undirected(n) {
                if by_index[&m] == community && seen.insert(m) {
                    stack.push(m);
                }
            }
        }
        assert_eq!(seen.len(), members.len(), "community {community} is split");
    }
    // The analysis carries them, with the weighted degree that sizes the nodes.
    let measures = analyze(&v);
    let science = measures
        .iter()
        .find(|m| m.label == "省科技厅")
        .expect("省科技厅");
    assert_eq!(science.community, first[&science.id]);
    assert!(science.weighted_degree > 0.0);
}

#[test]
fn the_dependency_view_boxes_each_section_with_its_tasks_and_units() {
    let s = store();
    let v = view(&s, "dependency", &ViewOptions::default());
    let clusters: std::collections::BTreeSet<&str> = v
        .graph
        .node_weights()
        .filter_map(|n| n.cluster.as_deref())
        .collect();
    assert_eq!(clusters.len(), 7, "one box per section that holds tasks");
    for n in v.graph.node_weights() {
        match n.kind {
            policykg_views::graph::NodeKind::Task | policykg_views::graph::NodeKind::Unit => {
                assert!(n.cluster.is_some(), "{} is in no box", n.label);
            }
            policykg_views::graph::NodeKind::Document => assert_eq!(n.cluster, None),
            _ => {}
        }
    }
    // 省教育厅 is named by tasks of 2.3 (科技创新) more than of any other section.
    let education = v
        .graph
        .node_weights()
        .find(|n| n.label == "省教育厅")
        .expect("省教育厅");
    assert!(
        education
            .cluster
            .as_deref()
            .is_some_and(|c| c.ends_with("/section/2.3")),
        "{:?}",
        education.cluster
    );
    let dot = dot_of(&v);
    assert_eq!(
        dot.matches("subgraph cluster_").count(),
        7 + 1,
        "and the legend"
    );
}

/// Generated documents of one seed, ingested into a store in memory.
fn generated_store(
    documents: usize,
) -> (PolicyStore, Vec<policykg_extract::model::ParsedDocument>) {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let mut docs = Vec::new();
    for index in 0..documents {
        let generated = policykg_devtools::generate::generate_document(5, index);
        let name = policykg_devtools::generate::file_name(index, documents);
        let doc = extract_bytes(
            generated.text.as_bytes(),
            Path::new(&name),
            Gazetteer::builtin(),
        )
        .expect("parses");
        store.ingest(&doc).expect("ingest");
        docs.push(doc);
    }
    (store, docs)
}

/// Rows of a query over the whole store, each a map of its bindings.
fn select(store: &PolicyStore, query: &str) -> Vec<std::collections::HashMap<String, String>> {
    policykg_store::sparql::Select::new(query)
        .rows(store)
        .expect("query")
}

/// The region view of the whole store, drawn from the kept weights, and the weight of each
/// of its jurisdiction–partner edges as SPARQL counts it; asserts that they agree.
fn region_edges_are_the_tasks_naming_them(
    store: &PolicyStore,
) -> (View, std::collections::BTreeMap<(String, String), f64>) {
    let tasks: u64 = select(store, "SELECT (COUNT(?t) AS ?n) WHERE { ?t a pol:Task }")[0]["n"]
        .parse()
        .expect("a number");
    assert!(tasks > 300, "{tasks} tasks: too few for the corpus drawing");
    // Region: every jurisdiction–partner edge weighs the tasks that name the partner,
    // counted apart by SPARQL from the documents; the drawing is undirected, so a region
    // that is each other's partner has one edge with both weights.
    let mut expected = std::collections::BTreeMap::new();
    for r in select(
        store,
        "SELECT ?home ?region (COUNT(DISTINCT ?task) AS ?n) WHERE { ?doc a pol:Document ; pol:jurisdiction ?home ; pol:hasTask ?task . ?task pol:statedRegion|pol:inferredRegion ?region } GROUP BY ?home ?region",
    ) {
        let (home, region) = (r["home"].clone(), r["region"].clone());
        let key = if home <= region {
            (home, region)
        } else {
            (region, home)
        };
        *expected.entry(key).or_insert(0.0) += r["n"].parse::<f64>().expect("a number");
    }
    assert!(expected.len() > 5, "{expected:?}");
    let all = ViewOptions {
        limit: Some(10_000),
        min_weight: Some(1.0),
        ..Default::default()
    };
    let region = view(store, "region", &all);
    let mut found = std::collections::BTreeMap::new();
    for e in region.graph.edge_indices() {
        if region.graph[e].relation == Relation::Partner {
            let (a, b) = region.graph.edge_endpoints(e).expect("ends");
            let (a, b) = (&region.graph[a].id, &region.graph[b].id);
            let key = if a <= b {
                (a.clone(), b.clone())
            } else {
                (b.clone(), a.clone())
            };
            found.insert(key, region.graph[e].weight);
        }
    }
    assert_eq!(found, expected);
    (region, expected)
}

#[test]
fn the_region_view_and_a_busy_units_ego_of_a_corpus_come_from_the_kept_weights() {
    let (store, docs) = generated_store(40);
    let tasks: usize = docs.iter().map(|d| d.tasks.len()).sum();
    assert!(
        tasks > 300,
        "{tasks} tasks: too few for the corpus drawings"
    );

    let (region, expected) = region_edges_are_the_tasks_naming_them(&store);
    let regions: std::collections::BTreeSet<&String> =
        expected.keys().flat_map(|(h, r)| [h, r]).collect();
    let pairings = select(
        &store,
        "SELECT (COUNT(*) AS ?n) WHERE { { SELECT DISTINCT ?a ?b WHERE { ?p pol:firstRegion ?f ; pol:secondRegion ?s . BIND(IF(STR(?f) < STR(?s), ?f, ?s) AS ?a) BIND(IF(STR(?f) < STR(?s), ?s, ?f) AS ?b) } } }",
    )[0]["n"]
        .clone();
    assert_eq!(
        region.note.as_deref(),
        Some(
            format!(
                "showing {} of {} regions (the most named) and {} of {} jurisdiction–partner links (at least 1 tasks), and all {pairings} pairings — raise limit or min_weight, or choose a document",
                region.graph.node_count(),
                regions.len(),
                expected.len(),
                expected.len(),
            )
            .as_str()
        )
    );
    // A limit keeps the most named regions.
    let two = view(
        &store,
        "region",
        &ViewOptions {
            limit: Some(2),
            ..Default::default()
        },
    );
    let partner_ends: std::collections::BTreeSet<&str> = two
        .graph
        .edge_indices()
        .filter(|&e| two.graph[e].relation == Relation::Partner)
        .flat_map(|e| {
            let (a, b) = two.graph.edge_endpoints(e).expect("ends");
            [two.graph[a].id.as_str(), two.graph[b].id.as_str()]
        })
        .collect();
    assert!(partner_ends.len() <= 2, "{partner_ends:?}");
    // Of one document, the tasks are the evidence again.
    let one = view(
        &store,
        "region",
        &ViewOptions {
            document: Some(policykg_extract::vocab::document_key(&docs[0].source.path)),
            ..Default::default()
        },
    );
    assert!(one.note.is_none());

    // Ego: the unit named in the most documents, folded to its partners. A corpus of one
    // city's documents names its units again and again; copies of one document do too.
    let text = policykg_devtools::generate::generate_document(5, 0).text;
    for copy in 0..21 {
        let name = format!("copy-{copy:02}.txt");
        let doc =
            extract_bytes(text.as_bytes(), Path::new(&name), Gazetteer::builtin()).expect("parses");
        store.ingest(&doc).expect("ingest");
    }
    let busiest = &select(
        &store,
        "SELECT ?unit (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?unit a pol:Unit . ?doc a pol:Document } } GROUP BY ?unit ORDER BY DESC(?n) ?unit LIMIT 1",
    )[0];
    let (unit, documents) = (busiest["unit"].clone(), busiest["n"].clone());
    assert!(
        documents.parse::<u64>().expect("a number") > 20,
        "{unit} in {documents} documents"
    );
    let mut partners: Vec<(String, f64)> = select(
        &store,
        &format!(
            "SELECT ?p (COUNT(DISTINCT ?task) AS ?n) WHERE {{ ?task pol:leadUnit|pol:responsibleUnit|pol:supportingUnit|pol:impliedUnit <{unit}>, ?p . FILTER(?p != <{unit}>) }} GROUP BY ?p"
        ),
    )
    .into_iter()
    .map(|r| (r["p"].clone(), r["n"].parse().expect("a number")))
    .collect();
    partners.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let ego = view(
        &store,
        "ego",
        &ViewOptions {
            focus: Some(unit.clone()),
            ..Default::default()
        },
    );
    let centre = ego.find(&unit).expect("the focus is drawn");
    let mut around: Vec<(String, f64)> = ego
        .graph
        .edges_directed(centre, petgraph::Direction::Outgoing)
        .chain(
            ego.graph
                .edges_directed(centre, petgraph::Direction::Incoming),
        )
        .map(|e| {
            let other = if e.source() == centre {
                e.target()
            } else {
                e.source()
            };
            (ego.graph[other].id.clone(), e.weight().weight)
        })
        .collect();
    around.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown = partners.len().min(40);
    assert_eq!(around, partners[..shown].to_vec());
    let label = &ego.graph[centre].label;
    let note = ego.note.clone().expect("a note");
    assert!(
        note.starts_with(&format!(
            "{label} is named in {documents} documents: its tasks are folded away, showing the {shown} of its {} partners it shares the most tasks with",
            partners.len()
        )),
        "{note}"
    );
    // Every edge between two partners weighs what they share, counted apart.
    for e in ego.graph.edge_indices() {
        let (a, b) = ego.graph.edge_endpoints(e).expect("ends");
        if a == centre || b == centre {
            continue;
        }
        let (a, b) = (&ego.graph[a].id, &ego.graph[b].id);
        let shared = &select(
            &store,
            &format!(
                "SELECT (COUNT(DISTINCT ?task) AS ?n) WHERE {{ ?task pol:leadUnit|pol:responsibleUnit|pol:supportingUnit|pol:impliedUnit <{a}>, <{b}> }}"
            ),
        )[0]["n"];
        assert_eq!(
            ego.graph[e].weight,
            shared.parse::<f64>().expect("a number")
        );
    }
    // In one document, the tasks are there.
    let in_one = view(
        &store,
        "ego",
        &ViewOptions {
            focus: Some(unit),
            document: Some(policykg_extract::vocab::document_key(&docs[0].source.path)),
            ..Default::default()
        },
    );
    assert!(in_one.note.is_none());
}

#[test]
fn the_region_view_of_the_real_documents_comes_from_the_kept_weights() {
    let store = policykg_store::memory_store(Gazetteer::builtin()).expect("store");
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir(util::root().join("tests/corpus"))
        .expect("tests/corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.push(util::seed_path());
    let report =
        policykg::ingest_paths(&store, &paths, Gazetteer::builtin(), |_| {}).expect("ingest");
    assert_eq!((report.added, report.failed), (19, 0));
    let (region, _) = region_edges_are_the_tasks_naming_them(&store);
    assert!(
        region
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("showing ")),
        "{:?}",
        region.note
    );
}
