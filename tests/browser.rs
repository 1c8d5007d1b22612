//! The explorer in headless Chromium (Debian's chromium and chromium-driver, which
//! `make test` installs): the home page, a named query and its rows, the cooperation graph
//! fitted to its frame, its hover and search, a click on a node that lands on its entity
//! page, the responsibility matrix, two documents compared, and the highlighted evidence
//! on a document page. With POLICYKG_SCREENSHOTS=DIR the pages are saved there as PNG.

use crate::util;

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{ClientBuilder, Locator};
use util::server::{Server, free_port};

struct Process(Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn wait_for(url: &str) {
    for _ in 0..200 {
        if let Ok(stream) = tokio::net::TcpStream::connect(url).await {
            drop(stream);
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{url} did not come up");
}

#[tokio::test]
async fn explorer_in_a_real_browser() {
    if Command::new("chromedriver")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("chromedriver is not installed: `make test` installs chromium-driver");
        return;
    }
    let store = std::env::temp_dir().join(format!("policykg-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&store);
    let seed = util::seed_path();
    // As `make run` starts it.
    let server = Server::start(
        &store,
        &["--data", seed.to_str().expect("UTF-8"), "--isolate-queries"],
        &[],
    );
    let (web, driver) = (server.port, free_port());
    let _driver = Process(
        Command::new("chromedriver")
            .arg(format!("--port={driver}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts"),
    );
    wait_for(&format!("127.0.0.1:{driver}")).await;

    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--no-first-run",
                     "--window-size=1400,1000"]
        }),
    );
    let client = ClientBuilder::native()
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{driver}"))
        .await
        .expect("a browser session");
    let base = format!("http://127.0.0.1:{web}");
    let shots = std::env::var_os("POLICYKG_SCREENSHOTS").map(std::path::PathBuf::from);
    let shoot = |name: &'static str| {
        let client = client.clone();
        let shots = shots.clone();
        async move {
            if let Some(dir) = shots {
                let png = client.screenshot().await.expect("screenshot");
                std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
            }
        }
    };

    // Home: the document is listed.
    client.goto(&format!("{base}/")).await.expect("home");
    let body = client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(
        body.contains("辽宁省人民政府办公厅关于对接国家重大区域发展战略的实施意见"),
        "{body}"
    );
    shoot("home").await;

    // Query: pick a named query, run it, see its rows.
    client
        .goto(&format!("{base}/query"))
        .await
        .expect("query page");
    let select = client
        .find(Locator::Css("#named"))
        .await
        .expect("named queries");
    select
        .select_by_value("tasks-per-lead-unit")
        .await
        .expect("select");
    client
        .find(Locator::Css("#run"))
        .await
        .expect("run")
        .click()
        .await
        .expect("click");
    let table = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#rows"))
        .await
        .expect("result rows");
    let rows = table.text().await.expect("text");
    assert!(rows.contains("省科技厅") && rows.contains('4'), "{rows}");
    shoot("query").await;

    // A CONSTRUCT result is shown as Turtle and can be drawn as a graph.
    client
        .execute(
            "document.querySelector('#q textarea').value = arguments[0];",
            vec![serde_json::json!(
                "CONSTRUCT { ?t pol:leadUnit ?u } WHERE { ?t pol:leadUnit ?u } ORDER BY ?t LIMIT 12"
            )],
        )
        .await
        .expect("type a CONSTRUCT");
    client
        .find(Locator::Css("#run"))
        .await
        .expect("run")
        .click()
        .await
        .expect("click");
    let draw = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#draw"))
        .await
        .expect("a draw-as-graph link");
    let triples = client
        .find(Locator::Css("#triples"))
        .await
        .expect("triples")
        .text()
        .await
        .expect("text");
    assert!(triples.contains("pol:leadUnit"), "{triples}");
    draw.click().await.expect("draw");
    let drawn = client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#graph svg g.edge"))
        .await;
    assert!(drawn.is_ok(), "the CONSTRUCT result is drawn");
    assert_eq!(
        client.current_url().await.expect("url").path(),
        "/graph/construct"
    );
    shoot("construct").await;

    // Graph: click a node, land on its entity page.
    client
        .goto(&format!("{base}/graph/cooperation"))
        .await
        .expect("graph page");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#graph svg g.node a"))
        .await
        .expect("a clickable node");
    // The whole drawing is in the frame when the page opens, and fills it one way.
    let fit = client
        .execute(
            "var f = document.getElementById('graph').getBoundingClientRect();\
             var d = document.querySelector('#graph svg').getBoundingClientRect();\
             return [d.left - f.left, f.right - d.right, d.top - f.top, f.bottom - d.bottom, d.width / f.width, d.height / f.height];",
            vec![],
        )
        .await
        .expect("bounding boxes");
    let margins: Vec<f64> = serde_json::from_value(fit).expect("numbers");
    assert!(
        margins[..4].iter().all(|m| *m >= -1.0),
        "the drawing spills out of its frame: {margins:?}"
    );
    assert!(
        margins[4] > 0.98 || margins[5] > 0.98,
        "the drawing does not fill its frame: {margins:?}"
    );
    shoot("cooperation").await;
    // Hovering a node lights its neighbours and dims the rest.
    let lit = client
        .execute(
            "var g = Array.from(document.querySelectorAll('#graph svg g.node')).find(n => n.textContent.includes('省科技厅'));\
             g.dispatchEvent(new MouseEvent('mouseenter'));\
             var n = document.querySelectorAll('#graph svg g.node.hl').length;\
             var dim = document.querySelector('#graph svg').classList.contains('dim');\
             g.dispatchEvent(new MouseEvent('mouseleave'));\
             return [n, dim ? 1 : 0, document.querySelectorAll('#graph svg .hl').length];",
            vec![],
        )
        .await
        .expect("hover");
    let lit: Vec<usize> = serde_json::from_value(lit).expect("numbers");
    assert!(lit[0] > 5 && lit[1] == 1 && lit[2] == 0, "{lit:?}");
    // The search box centres the node it names.
    let centred = client
        .execute(
            "var f = document.getElementById('find'); f.value = '省教育厅';\
             f.dispatchEvent(new Event('change'));\
             var g = Array.from(document.querySelectorAll('#graph svg g.node')).find(n => n.textContent.includes('省教育厅'));\
             var r = g.getBoundingClientRect(), b = document.getElementById('graph').getBoundingClientRect();\
             return [Math.abs((r.left + r.width / 2) - (b.left + b.width / 2)), Math.abs((r.top + r.height / 2) - (b.top + b.height / 2))];",
            vec![],
        )
        .await
        .expect("find");
    let off: Vec<f64> = serde_json::from_value(centred).expect("numbers");
    assert!(off[0] < 2.0 && off[1] < 2.0, "not centred: {off:?}");
    client
        .find(Locator::Css("#fit"))
        .await
        .expect("fit button")
        .click()
        .await
        .expect("fit");
    let legend = client
        .find(Locator::Css("ul.legend"))
        .await
        .expect("an HTML legend")
        .text()
        .await
        .expect("text");
    assert!(legend.contains("community 1 (14 units)"), "{legend}");

    // The responsibility matrix of the seed.
    client
        .goto(&format!("{base}/matrix"))
        .await
        .expect("matrix page");
    let summary = client
        .find(Locator::Css("p"))
        .await
        .expect("summary")
        .text()
        .await
        .expect("text");
    assert!(summary.contains("24 tasks × 42 units"), "{summary}");
    shoot("matrix").await;
    client
        .goto(&format!("{base}/graph/cooperation"))
        .await
        .expect("graph page");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#graph svg g.node a"))
        .await
        .expect("a clickable node");
    client
        .execute(
            "document.querySelector('#graph svg g.node a').dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));",
            vec![],
        )
        .await
        .expect("click a node");
    let mut landed = false;
    for _ in 0..200 {
        if client.current_url().await.expect("url").path() == "/entity" {
            landed = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(landed, "the entity page opens");
    let heading = client
        .find(Locator::Css("h1"))
        .await
        .expect("h1")
        .text()
        .await
        .expect("text");
    assert!(!heading.is_empty());
    shoot("entity").await;

    // Document: the evidence is highlighted.
    client
        .goto(&format!("{base}/doc/liaoning-2021-1"))
        .await
        .expect("document page");
    let marks = client
        .find_all(Locator::Css("pre.doc mark.unit"))
        .await
        .expect("marks");
    assert!(
        marks.len() == 139,
        "{} unit mentions highlighted",
        marks.len()
    );
    let first = marks[0].text().await.expect("text");
    assert_eq!(first, "省营商局");
    shoot("document").await;

    // Two documents compared: the seed and a copy whose 大连海关 became 沈阳海关.
    let pair = std::env::temp_dir().join(format!("policykg-browser-pair-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&pair);
    std::fs::create_dir_all(&pair).expect("a data directory");
    let seed_text = std::fs::read_to_string(util::seed_path()).expect("seed");
    std::fs::write(pair.join("liaoning-2021-1.txt"), &seed_text).expect("write");
    std::fs::write(
        pair.join("seed-copy.txt"),
        seed_text.replace("大连海关", "沈阳海关"),
    )
    .expect("write");
    let pair_server = Server::start(
        &pair.join("store"),
        &["--data", pair.to_str().expect("UTF-8")],
        &[],
    );
    let pair_web = pair_server.port;
    client
        .goto(&format!(
            "http://127.0.0.1:{pair_web}/compare?first=liaoning-2021-1&second=seed-copy"
        ))
        .await
        .expect("comparison page");
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#graph svg g.node"))
        .await
        .expect("the comparison diagram");
    let text = client
        .find(Locator::Css("body"))
        .await
        .expect("body")
        .text()
        .await
        .expect("text");
    assert!(text.contains("0 added, 1 dropped"), "{text}");
    shoot("compare").await;

    client.close().await.expect("close");
}
