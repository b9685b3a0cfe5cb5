"""The report in a real browser: Debian's chromium and chromedriver, driven by selenium.

A reviewer filters the passages, corrects one label with a memo, downloads the
corrections, and the file is one that `framingclf train` reads. Skipped, saying why,
where selenium, chromium or chromedriver is not installed.
"""

import csv
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from framingclf.corpus import read_corpus
from framingclf.reports import CORRECTION_COLUMNS
from framingclf.reports import report as build_report

from .test_reports import make_result

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed "
                                "(pip install selenium)")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(
    not (CHROMIUM and DRIVER), reason="no headless browser: install Debian's chromium and "
    "chromium-driver (apt-get install chromium chromium-driver)")

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1300,1000")


@pytest.fixture()
def browser(tmp_path):
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = Options()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(dir=tmp_path)}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def wait_for(condition, seconds: float = 20.0):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError("timed out waiting for the page")


def shown(driver) -> int:
    return int(driver.find_element("id", "shown").text.replace(",", ""))


def test_filter_correct_and_download(browser, tmp_path):
    result = make_result(tmp_path)
    page = build_report(result, tmp_path / "report.html")
    browser.get(page.as_uri())
    wait_for(lambda: browser.execute_script("return document.body.dataset.ready"))
    assert shown(browser) == len(result.passages)
    rows = browser.find_elements("css selector", "#passage-rows tr")
    assert len(rows) == len(result.passages)

    browser.find_element("id", "f-label-none").click()  # hide `none`
    assert shown(browser) == len(result.passages) - 1
    browser.find_element("id", "f-review").click()  # only passages marked for review
    assert shown(browser) == int(result.passages["review"].sum()) == 2
    browser.find_element("id", "f-reset").click()
    search = browser.find_element("id", "f-search")
    search.send_keys("damp")
    assert shown(browser) == 1
    (row,) = browser.find_elements("css selector", "#passage-rows tr")
    assert "Damp, overcrowded homes" in row.text

    from selenium.webdriver.support.ui import Select

    Select(row.find_element("css selector", "select.fix-label")).select_by_value(
        "structural-politics")
    row.find_element("css selector", "input.fix-memo").send_keys("names policy as the cause")
    browser.find_element("id", "coder").send_keys("AB")
    assert browser.find_element("id", "corrections-count").text == "1"
    browser.find_element("id", "download-corrections").click()
    path = wait_for(lambda: next(iter(browser.downloads.glob("corrections-*.csv")), None))
    wait_for(lambda: path.stat().st_size > 0)

    with open(path, encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert tuple(records[0]) == CORRECTION_COLUMNS
    (record,) = records
    passage = result.passages.iloc[2]
    assert record["text"] == passage["text"]
    assert record["label"] == "structural-politics"
    assert record["model_label"] == "social-determinants"
    assert record["passage_id"] == passage["passage_id"]
    assert record["doc_id"] == passage["doc_id"] and record["page_start"] == "2"
    assert (record["coder"], record["memo"]) == ("AB", "names policy as the cause")
    corpus = read_corpus(path)  # what `framingclf train` reads
    assert corpus["label"].tolist() == ["structural-politics"]


def test_export_the_filtered_table_and_open_a_document(browser, tmp_path):
    page = build_report(make_result(tmp_path), tmp_path / "report.html")
    browser.get(page.as_uri())
    wait_for(lambda: browser.execute_script("return document.body.dataset.ready"))
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "f-doc")).select_by_visible_text(
        "Fairer Health Strategy")
    assert shown(browser) == 3
    browser.find_element("id", "export-csv").click()
    path = wait_for(lambda: next(iter(browser.downloads.glob("passages-*.csv")), None))
    wait_for(lambda: path.stat().st_size > 0)
    with open(path, encoding="utf-8", newline="") as fh:
        records = list(csv.DictReader(fh))
    assert {r["title"] for r in records} == {"Fairer Health Strategy"}
    assert len(records) == 3

    browser.find_element("css selector", "#doc-table tr[data-doc='0']").click()
    panel = browser.find_element("id", "doc-panel")
    assert panel.is_displayed() and "Board papers, March" in panel.text
    cells = panel.find_elements("css selector", "svg rect")
    assert len(cells) == 3  # one per passage of that document
    cells[1].click()  # jumps to that passage in the table
    target = wait_for(lambda: browser.find_elements("css selector", "#passage-rows tr.target"))
    assert "healthy choices" in target[0].text


def test_a_documents_audit_links_its_evidence_to_the_passage(browser, tmp_path):
    result = make_result(tmp_path)
    result.documents["audit_deficit_labels"] = ["no", "yes"]
    page = build_report(result, tmp_path / "report.html")
    browser.get(page.as_uri())
    wait_for(lambda: browser.execute_script("return document.body.dataset.ready"))
    browser.find_element("css selector", "#doc-table tr[data-doc='1']").click()
    audit = browser.find_element("css selector", "#doc-panel table.audit")
    rows = audit.find_elements("css selector", "tr")
    assert len(rows) == 8 and "deficit labels" in audit.text
    deficit = next(r for r in rows if r.text.startswith("deficit labels"))
    deficit.find_element("css selector", "a[data-passage]").click()
    target = wait_for(lambda: browser.find_elements("css selector", "#passage-rows tr.target"))
    assert "hard to reach" in target[0].text


def test_a_large_report_opens_and_filters(browser, tmp_path):
    from .test_reports import many_passages

    page = build_report(many_passages(tmp_path, 20_000), tmp_path / "big.html")
    start = time.monotonic()
    browser.get(page.as_uri())
    wait_for(lambda: browser.execute_script("return document.body.dataset.ready"), 60)
    assert shown(browser) == 20_000
    assert len(browser.find_elements("css selector", "#passage-rows tr")) == 50  # one page
    browser.find_element("id", "f-label-lifestyle").click()
    assert shown(browser) < 20_000
    assert time.monotonic() - start < 60
    assert Path(page).stat().st_size < 20_000 * 600
