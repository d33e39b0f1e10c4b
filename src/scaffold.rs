//! Files livery writes for people starting out: `livery init` (a small project that
//! builds and serves at once), `livery partner new` (a partner folder with a commented
//! partner.toml and a logo) and `livery new page` (a page with the front matter its
//! section's schema requires).

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Writes `files` (project-relative path, text) under `root`; returns their paths.
fn write_files(root: &Path, files: Vec<(PathBuf, String)>) -> Result<Vec<PathBuf>, Error> {
    for (path, text) in &files {
        let target = root.join(path);
        let parent = target.parent().unwrap_or(root);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        std::fs::write(&target, text).map_err(|e| Error::io(&target, e))?;
    }
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// `livery init DIR`: a project with two sections, a snippet and one partner, using
/// the built-in theme. Refuses a folder with anything in it unless `force`.
pub fn init(dir: &Path, force: bool) -> Result<Vec<PathBuf>, Error> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied && !force {
        return Err(Error::Usage(format!(
            "error: {} is not empty; choose a new folder, or pass --force to add the starter files to it",
            dir.display()
        )));
    }
    let file = |path: &str, text: &str| (PathBuf::from(path), text.to_owned());
    let mut written = write_files(
        dir,
        vec![
            file("livery.toml", STARTER_PROJECT),
            file(".gitignore", "/public/\n/.livery/\n"),
            file("content/_index.md", STARTER_HOME),
            file("content/guides/_index.md", STARTER_GUIDES),
            file("content/guides/getting-started.md", STARTER_GETTING_STARTED),
            file("content/runbooks/_index.md", STARTER_RUNBOOKS),
            file("content/runbooks/restart-a-service.md", STARTER_RUNBOOK),
            file("content/_snippets/contact-support.md", STARTER_SNIPPET),
        ],
    )?;
    // A made-up name, not a word: every partner's name is kept off the other partners'
    // sites, and a word such as "example" is everywhere (help.contoso.example, prose).
    written.extend(create_partner(dir, "kelvora", "Kelvora")?);
    Ok(written)
}

const STARTER_PROJECT: &str = r#"# Project settings: every key is explained in the README (livery.toml reference).
title = "Knowledge base"
theme = "default"            # built in; `livery theme eject` copies it to themes/ to edit

[build]
broken_links = "error"

# Pages under content/runbooks/ must say who owns them and when they were last
# reviewed; `livery check` reports reviews older than max_age_days.
[sections.runbooks]
required = ["owner", "last_reviewed", "severity"]
max_age_days = 180
fields.severity = { type = "string", allowed = ["sev1", "sev2", "sev3"] }

# Keeping docs for several releases of your product? List them, newest first, and run
# `livery version snapshot 1` when content/ moves on from release 1 (README: Versions).
# [versions]
# list = ["2", "1"]
"#;

const STARTER_HOME: &str = r#"+++
title = "Welcome"
description = "Guides and runbooks for {{ partner.name }} customers."
+++
This is the help center of **{{ partner.name }}**. Start with the
[getting started guide](guides/getting-started.md), or go straight to the
[runbooks](runbooks/_index.md) when something is on fire.

{{ snippet("contact-support") }}
"#;

const STARTER_GUIDES: &str = r#"+++
title = "Guides"
description = "Step-by-step introductions."
weight = 1
+++
"#;

const STARTER_GETTING_STARTED: &str = r#"+++
title = "Getting started"
description = "Your first hour with the platform."
weight = 1
+++
Welcome aboard. This page is shared by every partner; each partner's site shows it
with its own name and colours.

## Sign in

1. Open the portal and sign in with your company account.
2. Turn on two-factor authentication.

## Next steps

- [ ] Invite your team
- [ ] Read the [restart runbook](../runbooks/restart-a-service.md#verify)
"#;

const STARTER_RUNBOOKS: &str = r#"+++
title = "Runbooks"
description = "Procedures for operating the platform."
weight = 2
+++
"#;

const STARTER_RUNBOOK: &str = r#"+++
title = "Restart a service"
description = "Restart one service safely and check that it came back."
# Every runbook must have the next three fields: livery.toml [sections.runbooks]
# requires them, and `livery check` reports a review older than 180 days.
owner = "sre"
last_reviewed = 2026-11-01
severity = "sev2"                  # one of sev1, sev2, sev3
+++
Use this when a service is stuck but its host is healthy.

## Restart

```sh
kubectl -n prod rollout restart deploy/api
kubectl -n prod rollout status deploy/api
```

## Verify

> [!TIP]
> Watch the error rate for five minutes before you close the incident.

Still broken? {{ snippet("contact-support") }}
"#;

const STARTER_SNIPPET: &str = r#"Contact {{ partner.name }} support{% if partner.contact.support_email %} at <{{ partner.contact.support_email }}>{% endif %}.
"#;

/// `livery new page SECTION/NAME`: `content/SECTION/NAME.md`, with the front matter the
/// section's schema requires filled with placeholders that pass `livery check`.
pub fn new_page(
    root: &Path,
    page: &str,
    today: crate::model::page::Date,
) -> Result<PathBuf, Error> {
    crate::load::content::require_project(root)?;
    let project = crate::load::config::load_project(root).map_err(Error::from)?;
    let page = page.trim_end_matches(".md");
    let Some(relative) = crate::support::text::safe_relative_path(&format!("{page}.md")) else {
        return Err(Error::Usage(format!(
            "error: `{page}` is not a page path inside content/: write SECTION/NAME, e.g. runbooks/db-failover"
        )));
    };
    // The loader skips hidden and private names: such a page would never be published.
    if relative.iter().any(crate::load::content::is_hidden_or_private) {
        return Err(Error::Usage(format!(
            "error: `{}` would never be published: names starting with `.` or `_` are hidden (of them only `_index` is a page); write SECTION/NAME, e.g. runbooks/db-failover",
            relative.display()
        )));
    }
    let path = Path::new(crate::model::page::CONTENT_DIR).join(&relative);
    // The same rule the content loader applies: a page it would refuse is not written.
    if let Some(problem) = crate::load::content::check_url_safe(&relative, &path) {
        return Err(Error::Usage(format!(
            "error: {}; {}",
            problem.message,
            problem.help.unwrap_or_default()
        )));
    }
    let name = relative.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    if root.join(&path).exists() {
        return Err(Error::Usage(format!("error: {} already exists", path.display())));
    }
    let title = display_name(&name.replace('_', "-"));
    let mut front = format!(
        "+++\ntitle = \"{title}\"\ndescription = \"TODO: one sentence on what this page is for.\"\n"
    );
    for (key, value) in project.schemas.placeholders(&relative, today) {
        front.push_str(&format!("{key} = {value}\n"));
    }
    front.push_str("+++\nTODO: write the page.\n");
    write_files(root, vec![(path.clone(), front)])?;
    Ok(path)
}

/// Creates `partners/<id>/` under `root` and returns the files written.
pub fn new_partner(root: &Path, id: &str) -> Result<Vec<PathBuf>, Error> {
    create_partner(root, id, &display_name(id))
}

fn create_partner(root: &Path, id: &str, name: &str) -> Result<Vec<PathBuf>, Error> {
    if !crate::support::text::is_valid_id(id) {
        return Err(Error::Usage(format!(
            "error: `{id}` is not a valid partner id: {} (it becomes the folder and URL path public/{id}/)",
            crate::support::text::ID_RULE
        )));
    }
    crate::load::content::require_project(root)?;
    if root.join("partners").join(id).exists() {
        return Err(Error::Usage(format!(
            "error: partners/{id} already exists; choose another id or edit it"
        )));
    }
    let dir = Path::new("partners").join(id);
    let existing = std::fs::read_dir(root.join("partners")).map_or(0, |entries| entries.count());
    let (primary, accent) = brand_colours(existing);
    write_files(
        root,
        vec![
            (dir.join("partner.toml"), partner_toml(id, name, primary, accent)),
            (dir.join("static/logo.svg"), logo_svg(id, primary)),
        ],
    )
}

/// A (primary, accent) pair for a project's `existing`-th new partner, so partners
/// created one after another look different. Every primary has 4.5:1 contrast on white.
fn brand_colours(existing: usize) -> (&'static str, &'static str) {
    const PAIRS: [(&str, &str); 6] = [
        ("#2557d6", "#f2a900"),
        ("#0f6b4f", "#c9a227"),
        ("#7a2e8e", "#f08a24"),
        ("#b3261e", "#1f7a8c"),
        ("#1d5c63", "#e0a458"),
        ("#5b3cc4", "#2fb380"),
    ];
    PAIRS[existing % PAIRS.len()]
}

fn display_name(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn partner_toml(id: &str, name: &str, primary: &str, accent: &str) -> String {
    format!(
        r##"# Partner "{id}": its site is built into public/{id}/.
# Every key is explained in the README (partner.toml reference).

name = "{name}"                              # shown wherever the brand is named
base_url = "https://help.{id}.example"       # where the site is published
language = "en"                              # en, de or fr with the default theme
# languages = ["en", "de"]                   # or several: the first at the root, others under /de/ …
# versions = ["2"]                          # of livery.toml's [versions]: which this site publishes (default all)

[brand]                                      # unset tokens use the theme's defaults
logo = "logo.svg"                            # in partners/{id}/static/
favicon = "logo.svg"
primary = "{primary}"                          # links and highlights
accent = "{accent}"                           # the header stripe and focus rings
# background = "#ffffff"
# text = "#1c2330"
# font = "system-ui, sans-serif"
# heading_font = "Georgia, serif"
# radius = "8px"                             # corners: 0 to 2rem
# density = "comfortable"                    # compact, comfortable or roomy
# header = "light"                           # light, brand (a bar in primary) or dark
# home = "cards"                             # cards, or hero (search first, [home] featured)

# [home]
# featured = ["guides/getting-started.md"]   # pages the home page features

# [announcement]                             # a banner over every page
# text = "Planned maintenance on Sunday."

[contact]
support_email = "support@{id}.example"
# support_phone = "+1 555 0100"
# support_url = "https://portal.{id}.example"
# status_page = "https://status.{id}.example"

[vars]                                       # values for content: {{{{ vars.sla_hours }}}}
sla_hours = 4

[content]                                    # shared pages this partner does not carry
exclude = []                                 # globs, e.g. ["onboarding/legacy/**"]
exclude_tags = []

# [[menu]]                                   # extra links in the header or footer
# label = "Legal"
# url = "https://{id}.example/legal"
# location = "footer"                        # header, footer or both
"##
    )
}

fn logo_svg(id: &str, primary: &str) -> String {
    let initial = id.chars().next().unwrap_or('p').to_ascii_uppercase();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="{id}">
  <rect width="32" height="32" rx="8" fill="{primary}"/>
  <text x="16" y="22" text-anchor="middle" font-family="system-ui, sans-serif" font-size="18" font-weight="700" fill="#ffffff">{initial}</text>
</svg>
"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_come_from_ids() {
        assert_eq!(display_name("north-star-2"), "North Star 2");
    }
}
