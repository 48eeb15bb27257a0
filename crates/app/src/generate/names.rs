//! The distributions generated people are drawn from (docs/performance.md
//! lists them): Vietnamese family names by their share of the population,
//! middle and given names by rank (a Zipf-like weight), so namesakes are as
//! common as they are in a real registry.

use fastrand::Rng;

/// Family names and their approximate share of the population, in
/// per-mille.
pub(super) const FAMILY: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 30),
    ("Huỳnh", 21),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 19),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 8),
    ("Trương", 8),
    ("Lương", 5),
    ("Mai", 5),
    ("Đào", 6),
    ("Tạ", 3),
    ("Cao", 4),
    ("Hà", 5),
    ("Lâm", 4),
    ("Tô", 3),
    ("Chu", 2),
    ("Quách", 2),
    ("Vương", 2),
    ("Triệu", 2),
    ("Nông", 3),
    ("Lò", 2),
    ("Thạch", 2),
    ("Kiều", 2),
];

pub(super) const MIDDLE_MALE: &[&str] = &[
    "Văn", "Đức", "Minh", "Quốc", "Hữu", "Công", "Thanh", "Ngọc", "Xuân", "Trọng", "Đình", "Anh",
    "Tuấn", "Hoàng", "Mạnh", "Trung",
];
pub(super) const MIDDLE_FEMALE: &[&str] = &[
    "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Mỹ", "Bích", "Thùy", "Phương", "Hải",
    "Khánh", "Diệu",
];
pub(super) const GIVEN_MALE: &[&str] = &[
    "Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Cường", "Đức", "Thắng", "Sơn", "Quang", "Minh",
    "Phong", "Huy", "Hiếu", "Trung", "Bình", "Toàn", "Việt", "Khánh", "Tùng", "Hoàng", "Thành",
    "Tâm", "Lâm", "Phúc", "Quân", "Vinh", "Hưng", "Khoa", "Tài", "Lực", "Thịnh", "Nghĩa", "Đạt",
    "Kiên", "Hòa", "An", "Bảo", "Chiến",
];
pub(super) const GIVEN_FEMALE: &[&str] = &[
    "Hương", "Linh", "Trang", "Lan", "Hoa", "Mai", "Thảo", "Hằng", "Ngân", "Yến", "Nhung", "Huyền",
    "Thủy", "Hà", "Phương", "Anh", "Dung", "Loan", "Hạnh", "Vân", "Nga", "Oanh", "Thúy", "Hồng",
    "Liên", "Nhàn", "Quyên", "Tâm", "Uyên", "Vy", "Giang", "Hiền", "Thu", "Châu", "Diệp", "Ly",
    "My", "Nhi", "Trinh", "Xuân",
];

/// Names of the Central Highlands' peoples: «H'» for women and «Y» for
/// men before a given name, family names after it.
pub(super) const HIGHLAND_FAMILY: &[&str] = &["Niê", "Mlô", "Byă", "Êban", "Adrơng", "Ksơr"];
pub(super) const HIGHLAND_GIVEN: &[&str] =
    &["Bli", "Dju", "Kna", "Lin", "Ngon", "Thu", "Hen", "Ly"];

/// Ethnicities and their per-mille share among generated people.
pub(super) const ETHNIC: &[(&str, u32)] = &[
    ("Kinh", 853),
    ("Tày", 19),
    ("Thái", 18),
    ("Mường", 15),
    ("Khmer", 14),
    ("Hoa", 8),
    ("Nùng", 11),
    ("H'Mông", 13),
    ("Dao", 9),
    ("Gia Rai", 5),
    ("Ê Đê", 4),
    ("Ba Na", 3),
    ("M'Nông", 2),
    ("Chăm", 2),
    ("Sán Dìu", 2),
    ("Cơ Ho", 2),
    ("Xơ Đăng", 2),
    ("Khác", 18),
];

/// One item by weight.
pub(super) fn weighted<'a>(rng: &mut Rng, items: &'a [(&'a str, u32)]) -> &'a str {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut x = rng.u32(0..total.max(1));
    for (item, w) in items {
        if x < *w {
            return item;
        }
        x -= w;
    }
    items.last().map_or("", |i| i.0)
}

/// One item by rank: the first is the most common, weight 1/(rank+1)^0.9.
pub(super) fn ranked<'a>(rng: &mut Rng, items: &'a [&'a str]) -> &'a str {
    // Inverse transform over a small table: the lists are short.
    let weights: Vec<f64> = (0..items.len())
        .map(|r| 1.0 / ((r + 1) as f64).powf(0.9))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut x = rng.f64() * total;
    for (item, w) in items.iter().zip(weights) {
        if x < w {
            return item;
        }
        x -= w;
    }
    items.last().copied().unwrap_or("")
}

/// A full name, family name first, and whether the person is a woman.
pub(super) fn full_name(rng: &mut Rng, ethnicity: &str, female: bool) -> String {
    if matches!(ethnicity, "Ê Đê" | "Gia Rai" | "M'Nông") {
        let given = HIGHLAND_GIVEN[rng.usize(0..HIGHLAND_GIVEN.len())];
        let family = HIGHLAND_FAMILY[rng.usize(0..HIGHLAND_FAMILY.len())];
        let prefix = if female { "H'" } else { "Y" };
        return if female {
            format!("{prefix}{given} {family}")
        } else {
            format!("{prefix} {given} {family}")
        };
    }
    let family = weighted(rng, FAMILY);
    let (middle, given) = if female {
        (ranked(rng, MIDDLE_FEMALE), ranked(rng, GIVEN_FEMALE))
    } else {
        (ranked(rng, MIDDLE_MALE), ranked(rng, GIVEN_MALE))
    };
    format!("{family} {middle} {given}")
}
