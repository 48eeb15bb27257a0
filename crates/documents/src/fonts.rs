//! Fonts with the whole Vietnamese alphabet, read from the machine.
//!
//! Administrative documents are set in Times New Roman; Liberation Serif
//! (Debian's fonts-liberation2) has its metrics, so a printed decision
//! breaks its lines where the office's own copy would. DejaVu Serif, on
//! nearly every Debian machine, is the fallback.

use crate::DocumentError;
use std::path::{Path, PathBuf};
use typst::foundations::Bytes;
use typst::text::Font;

/// Letters a font must have to print Vietnamese (a sample from each row of
/// the alphabet's stacked diacritics, plus đ and the horned vowels).
const VIETNAMESE_SAMPLE: &str = "ăâđêôơưẮằẳẵặấầẩẫậếềểễệốồổỗộớờởỡợứừửữựỳỷỹỵĐƯƠ";

/// Where Debian puts the families we use, in order of preference.
const SYSTEM_DIRS: &[&str] = &[
    "/usr/share/fonts/truetype/liberation2",
    "/usr/share/fonts/truetype/liberation",
    "/usr/share/fonts/truetype/dejavu",
];

/// The file names (prefixes) of the families we use.
const FAMILIES: &[&str] = &["LiberationSerif-", "DejaVuSerif.", "DejaVuSerif-"];

/// Loaded fonts, each known to cover Vietnamese.
#[derive(Clone)]
pub struct Fonts {
    fonts: Vec<Font>,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.families()).finish()
    }
}

impl Fonts {
    /// Reads the serif families from `dir` (when given) and Debian's font
    /// folders. Fails when none of them covers Vietnamese.
    pub fn load(dir: Option<&Path>) -> Result<Fonts, DocumentError> {
        let mut dirs: Vec<PathBuf> = dir.map(Path::to_path_buf).into_iter().collect();
        dirs.extend(SYSTEM_DIRS.iter().map(PathBuf::from));
        let mut fonts = Vec::new();
        for d in &dirs {
            let Ok(entries) = std::fs::read_dir(d) else {
                continue;
            };
            let mut files: Vec<PathBuf> =
                entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
            files.sort();
            for path in files {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                let wanted = FAMILIES.iter().any(|f| name.starts_with(f))
                    && (name.ends_with(".ttf") || name.ends_with(".otf"));
                if !wanted {
                    continue;
                }
                let Ok(data) = std::fs::read(&path) else {
                    continue;
                };
                fonts.extend(Font::iter(Bytes::new(data)).filter(covers_vietnamese));
            }
        }
        if fonts.is_empty() {
            let tried: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
            return Err(DocumentError::NoFont(tried.join(", ")));
        }
        Ok(Fonts { fonts })
    }

    /// The families loaded, without repeats.
    pub fn families(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for f in &self.fonts {
            if !out.contains(&f.info().family) {
                out.push(f.info().family.clone());
            }
        }
        out
    }

    pub(crate) fn all(&self) -> Vec<Font> {
        self.fonts.clone()
    }
}

fn covers_vietnamese(font: &Font) -> bool {
    VIETNAMESE_SAMPLE
        .chars()
        .all(|c| font.info().coverage.contains(c as u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_machine_has_a_serif_with_vietnamese() {
        let fonts = Fonts::load(None).expect("fonts-liberation2 or fonts-dejavu-core");
        assert!(
            fonts
                .families()
                .iter()
                .any(|f| f == "Liberation Serif" || f == "DejaVu Serif"),
            "{fonts:?}"
        );
    }

    #[test]
    fn an_empty_folder_alone_is_no_font() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("LiberationSerif-Regular.ttf"),
            b"not a font",
        )
        .unwrap();
        // The bad file is skipped; the system folders still answer.
        let fonts = Fonts::load(Some(dir.path())).unwrap();
        assert!(!fonts.families().is_empty());
    }
}
