//! `livery partner new <id>`: a new partner folder with a commented partner.toml
//! and a placeholder logo, ready to build.

use std::path::{Path, PathBuf};

use crate::error::Error;

/// Creates `partners/<id>/` under `root` and returns the files written.
pub fn new_partner(root: &Path, id: &str) -> Result<Vec<PathBuf>, Error> {
    let valid = id.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !valid {
        return Err(Error::Usage(format!(
            "error: `{id}` is not a valid partner id: use lowercase letters, digits and `-` (it becomes the folder and URL path public/{id}/)"
        )));
    }
    if !root.join(crate::config::PROJECT_FILE).is_file() {
        return Err(Error::Usage(format!(
            "error: no livery.toml in {}: run this in a livery project, or pass --root DIR",
            root.display()
        )));
    }
    let dir = root.join("partners").join(id);
    if dir.exists() {
        return Err(Error::Usage(format!(
            "error: partners/{id} already exists; choose another id or edit it"
        )));
    }
    let files =
        [(dir.join("partner.toml"), partner_toml(id)), (dir.join("static/logo.svg"), logo_svg(id))];
    for (path, text) in &files {
        let parent = path.parent().unwrap_or(root);
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        std::fs::write(path, text).map_err(|e| Error::io(path, e))?;
    }
    Ok(files
        .into_iter()
        .map(|(path, _)| path.strip_prefix(root).unwrap_or(&path).to_owned())
        .collect())
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

fn partner_toml(id: &str) -> String {
    let name = display_name(id);
    format!(
        r##"# Partner "{id}": its site is built into public/{id}/.
# Every key is explained in the README (partner.toml reference).

name = "{name}"                              # shown wherever the brand is named
base_url = "https://help.{id}.example"       # where the site is published
language = "en"                              # en, de or fr with the default theme

[brand]                                      # unset tokens use the theme's defaults
logo = "logo.svg"                            # in partners/{id}/static/
favicon = "logo.svg"
primary = "#2557d6"                          # links and highlights
accent = "#f2a900"                           # the header stripe and focus rings
# background = "#ffffff"
# text = "#1c2330"
# font = "system-ui, sans-serif"
# heading_font = "Georgia, serif"

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

fn logo_svg(id: &str) -> String {
    let initial = id.chars().next().unwrap_or('p').to_ascii_uppercase();
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32" role="img" aria-label="{id}">
  <rect width="32" height="32" rx="8" fill="#2557d6"/>
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
