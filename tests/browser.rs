//! The page in a real browser: headless Chromium driven over WebDriver (chromedriver).
//! Types an Arabic query, sees highlighted results, filters by an outlet and sees the
//! counts change, opens an article, follows a timeline bar, and checks that article text
//! holding `<script>` runs nothing, and at a phone's width nothing scrolls sideways. Saves
//! `target/screenshots/{results,article,results-phone,article-phone,groups-phone}.png`.
//!
//! Needs /usr/bin/chromium and /usr/bin/chromedriver (Debian's `chromium` and
//! `chromium-driver`; `.ci/run` installs them), or AKHBAR_CHROMIUM / AKHBAR_CHROMEDRIVER.
//! Without them the test says so and passes, unless `CI` is set: then it fails.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

const BIN: &str = env!("CARGO_BIN_EXE_akhbar");

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn tool(var: &str, default: &str) -> Option<PathBuf> {
    let path = std::env::var_os(var).map_or_else(|| PathBuf::from(default), PathBuf::from);
    path.exists().then_some(path)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn index(dir: &Path, input: &Path) {
    let status = Command::new(BIN)
        .args([
            "index",
            "--index",
            dir.to_str().unwrap(),
            input.to_str().unwrap(),
        ])
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
}

fn serve(dir: &Path) -> (Killed, String) {
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--index",
            dir.to_str().unwrap(),
            "--listen",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    (Killed(child), line.trim().trim_end_matches('/').to_string())
}

fn chromedriver(path: &Path) -> (Killed, String) {
    let port = free_port();
    let child = Command::new(path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "chromedriver did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    (Killed(child), format!("http://127.0.0.1:{port}"))
}

async fn browser(driver: &str, chromium: &Path, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": chromium.to_str().unwrap(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,1100",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(driver)
        .await
        .expect("a WebDriver session")
}

async fn screenshot(client: &Client, name: &str) {
    let png = client.screenshot().await.unwrap();
    let dir = repo().join("target/screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), png).unwrap();
    println!("saved {}", dir.join(name).display());
}

/// Waits for the first element matching `css` (fantoccini's default wait: 30 s) and
/// returns it: the one wait every step of the test uses.
async fn element(client: &Client, css: &str) -> Element {
    client
        .wait()
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("no element `{css}`: {e}"))
}

/// Waits for `css` and clicks it.
async fn click(client: &Client, css: &str) {
    element(client, css).await.click().await.unwrap();
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for e in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(e.text().await.unwrap());
    }
    out
}

async fn pwned(client: &Client) -> Value {
    client
        .execute(
            "return [window.__pwned === undefined, document.title];",
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_page_in_a_real_browser() {
    let (Some(chromium), Some(driver_bin)) = (
        tool("AKHBAR_CHROMIUM", "/usr/bin/chromium"),
        tool("AKHBAR_CHROMEDRIVER", "/usr/bin/chromedriver"),
    ) else {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but chromium or chromedriver is missing (install Debian's chromium and chromium-driver)");
        }
        println!("SKIPPED the browser test: /usr/bin/chromium or /usr/bin/chromedriver is missing (apt-get install chromium chromium-driver)");
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("ix");
    index(&dir, &repo().join("samples"));
    index(&dir, &repo().join("tests/fixtures/server/batch.jsonl"));
    let (_server, url) = serve(&dir);
    let (_driver, driver_url) = chromedriver(&driver_bin);
    let client = browser(&driver_url, &chromium, &tmp.path().join("profile")).await;

    type_a_query(&client, &url).await;
    filter_by_an_outlet(&client).await;
    follow_a_timeline_bar(&client, &url).await;
    open_an_article(&client).await;
    scripts_in_articles_run_nothing(&client, &url).await;
    on_a_phone(&client, &url).await;

    client.close().await.unwrap();
}

/// Types an Arabic query: results with the matched words highlighted.
async fn type_a_query(client: &Client, url: &str) {
    client.goto(&format!("{url}/")).await.unwrap();
    let input = element(client, "form.search input[name=q]").await;
    input.send_keys("فاغنر مالي").await.unwrap();
    click(client, "form.search button").await;
    element(client, "li.hit").await;
    let marks = texts(client, "li.hit mark").await;
    assert!(
        marks
            .iter()
            .any(|m| m.contains("فاغنر") || m.contains("فاجنر")),
        "highlighted words: {marks:?}"
    );
    screenshot(client, "results.png").await;
}

/// Clicks an outlet facet: the URL says so, the counts change; back again.
async fn filter_by_an_outlet(client: &Client) {
    let total_before = texts(client, ".summary strong").await;
    let groups_before = texts(client, "ul.facet.groups .count").await;
    let outlet = element(client, "ul.facet.outlets li a").await;
    let chosen = outlet.attr("data-value").await.unwrap().unwrap();
    outlet.click().await.unwrap();
    element(client, "ul.facet.outlets li.on").await;
    let current = client.current_url().await.unwrap();
    assert!(current.as_str().contains("outlet="), "{current}");
    let total_after = texts(client, ".summary strong").await;
    let groups_after = texts(client, "ul.facet.groups .count").await;
    assert!(
        total_after != total_before || groups_after != groups_before,
        "filtering by {chosen} changed nothing: {total_before:?} {groups_before:?}"
    );
    for hit_outlet in texts(client, "li.hit .outlet").await {
        assert_eq!(hit_outlet, chosen);
    }
    client.back().await.unwrap();
    element(client, "li.hit").await;
}

/// Follows a timeline bar: the dates narrow to its month; back again.
async fn follow_a_timeline_bar(client: &Client, url: &str) {
    let bar = element(client, "figure.timeline a.bar").await;
    let href = bar.attr("href").await.unwrap().unwrap();
    client.goto(&format!("{url}{href}")).await.unwrap();
    let current = client.current_url().await.unwrap();
    assert!(
        current.as_str().contains("from=") && current.as_str().contains("to="),
        "{current}"
    );
    let from = element(client, "form.dates input[name=from]").await;
    assert!(from
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
        .ends_with("-01"));
    client.back().await.unwrap();
}

/// Opens the first result's article: its passages, with the query's highlights.
async fn open_an_article(client: &Client) {
    click(client, "li.hit h2 a").await;
    element(client, "main.article section.passage").await;
    assert!(
        !texts(client, "main.article mark").await.is_empty(),
        "article highlights"
    );
    screenshot(client, "article.png").await;
}

/// An article with <script> in its text runs nothing, and shows it as text.
async fn scripts_in_articles_run_nothing(client: &Client, url: &str) {
    client
        .goto(&format!(
            "{url}/article/srv-003?q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1"
        ))
        .await
        .unwrap();
    let title = texts(client, "main.article h1").await;
    assert!(
        title[0].contains("<script>window.__pwned=1</script>"),
        "{title:?}"
    );
    assert_eq!(pwned(client).await[0], true, "a script in the article ran");
    assert_ne!(pwned(client).await[1], "pwned");
    client
        .goto(&format!("{url}/search?q=%D8%AA%D9%82%D8%B1%D9%8A%D8%B1"))
        .await
        .unwrap();
    assert_eq!(pwned(client).await[0], true, "a script in a result ran");
}

/// At a phone's width (390 px) the results, the article page and the groups page fit: nothing wider
/// than the screen, so nothing scrolls sideways.
async fn on_a_phone(client: &Client, url: &str) {
    client.set_window_size(390, 844).await.unwrap();
    client
        .goto(&format!("{url}/search?q=%D9%81%D8%A7%D8%BA%D9%86%D8%B1"))
        .await
        .unwrap();
    element(client, "li.hit").await;
    screenshot(client, "results-phone.png").await;
    assert_fits(client, "results page").await;
    click(client, "li.hit h2 a").await;
    element(client, "main.article section.passage").await;
    screenshot(client, "article-phone.png").await;
    assert_fits(client, "article page").await;
    client.goto(&format!("{url}/groups")).await.unwrap();
    element(client, "main.groups-page svg").await;
    screenshot(client, "groups-phone.png").await;
    assert_fits(client, "groups page").await;
}

/// The page is no wider than the window; else the elements sticking out are named.
async fn assert_fits(client: &Client, what: &str) {
    let outside = "const w = document.documentElement.clientWidth; \
        return [document.documentElement.scrollWidth, w, [...document.querySelectorAll('body *')] \
        .filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.left < -1 || r.right > w + 1); }) \
        .slice(0, 6).map(e => e.outerHTML.slice(0, 90) + ' ' + Math.round(e.getBoundingClientRect().left) + '+' + Math.round(e.getBoundingClientRect().width))];";
    let got = client.execute(outside, vec![]).await.unwrap();
    assert!(
        got[0].as_i64() <= got[1].as_i64(),
        "{what} is wider than a phone (scroll width, window, elements outside): {got}"
    );
}
