//! Generates a synthetic livery project for benchmarks: N pages (one in ten using
//! partner data), P partners, the repository's default theme. Two shapes: `small`
//! (sections of 50 pages, the default) and `big` (few sections of 1,000 pages, like
//! a real corpus with one flat folder of cheat sheets or runbooks).
//! Deterministic for a given N, P and shape.
//!
//! cargo run --release --example gen_corpus -- DIR PAGES PARTNERS [small|big]

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let per_section = match args.get(4).map(String::as_str) {
        None | Some("small") => 50,
        Some("big") => 1000,
        Some(_) => 0,
    };
    if !(4..=5).contains(&args.len()) || per_section == 0 {
        eprintln!("usage: gen_corpus DIR PAGES PARTNERS [small|big]");
        std::process::exit(2);
    }
    let dir = Path::new(&args[1]);
    let pages: usize = args[2].parse().expect("PAGES is a number");
    let partners: usize = args[3].parse().expect("PARTNERS is a number");
    let _ = fs::remove_dir_all(dir);
    write(dir, "livery.toml", "title = \"Benchmark\"\n");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default"),
        &dir.join("themes/default"),
    );
    write(dir, "content/_index.md", "+++\ntitle = \"Benchmark home\"\n+++\nGenerated pages.\n");

    let sections = pages.div_ceil(per_section);
    for section in 0..sections {
        write(
            dir,
            &format!("content/section-{section:03}/_index.md"),
            &format!(
                "+++\ntitle = \"Section {section}\"\nweight = {section}\n+++\nPages of section {section}.\n"
            ),
        );
    }
    for page in 0..pages {
        let section = page / per_section;
        let sibling = if page % per_section == 0 { page + 1 } else { page - 1 }.min(pages - 1);
        write(
            dir,
            &format!("content/section-{section:03}/page-{page:05}.md"),
            &page_text(page, sibling),
        );
    }
    for partner in 0..partners {
        let hue = (partner * 47) % 360;
        write(
            dir,
            &format!("partners/p{partner:02}/partner.toml"),
            &format!(
                "name = \"Partner {partner}\"\nbase_url = \"https://p{partner}.example\"\n\n[brand]\nprimary = \"hsl({hue} 70% 25%)\"\n\n[contact]\nsupport_email = \"help@p{partner}.example\"\n"
            ),
        );
    }
    println!(
        "generated {pages} pages in {sections} sections and {partners} partners in {}",
        dir.display()
    );
}

fn page_text(page: usize, sibling: usize) -> String {
    let mut text = format!(
        "+++\ntitle = \"Runbook {page}\"\ndescription = \"Generated runbook number {page}.\"\nweight = {page}\nowner = \"sre\"\nlast_reviewed = 2026-10-01\ntags = [\"generated\"]\n+++\n"
    );
    text.push_str(
        "This runbook restores service step by step. Read it fully before you start.\n\n",
    );
    for step in 1..=4 {
        let _ = write!(
            text,
            "## Step {step}: check component {step}\n\nCheck the dashboard, then compare with the \
             [previous runbook](page-{sibling:05}.md#step-1-check-component-1). Keep notes in the incident channel \
             and record every **command** you ran with its *output*.\n\n\
             - [ ] confirm the alert is real\n- [ ] page the owner\n- [x] open the incident\n\n\
             ```bash\nkubectl -n prod get pods -l app=service-{step}\nkubectl -n prod rollout status deploy/service-{step}\n```\n\n"
        );
    }
    text.push_str("| Signal | Threshold | Action |\n|---|---|---|\n| p95 latency | 800 ms | scale out |\n| errors | 2% | roll back |\n\n");
    text.push_str("> [!WARNING]\n> Never run this against the primary without a backup.\n");
    text
}

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
