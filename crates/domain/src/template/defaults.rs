//! The templates thidua ships, and the ones it shipped before: a stored
//! template still equal to an earlier shipped text is replaced by the
//! current one, while an administrator's own edit is kept.

pub(super) const PREVIOUS_DECISION_1: &str = "@trich_yeu
Về việc tặng {hinh_thuc}
@than
Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
{can_cu}
Theo đề nghị của {de_nghi_cua} và Giám đốc Sở Nội vụ.
# QUYẾT ĐỊNH:
Điều 1. Tặng {hinh_thuc} cho {doi_tuong} (có danh sách kèm theo), đã có thành tích xuất sắc trong công tác, góp phần vào sự nghiệp xây dựng và phát triển của tỉnh.
Điều 2. Kèm theo {hinh_thuc}, các tập thể, cá nhân được thưởng theo quy định, mức lương cơ sở {muc_luong_co_so}; tổng số tiền thưởng {tong_tien_thuong}, chi từ Quỹ thi đua, khen thưởng của tỉnh.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
{de_nghi_cua};
Lưu: VT, SNV.
";

pub(super) const PREVIOUS_REVOCATION_1: &str = "@trich_yeu
Về việc hủy bỏ quyết định khen thưởng và thu hồi {hinh_thuc}
@than
Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
{can_cu}
Xét đề nghị của Giám đốc Sở Nội vụ.
# QUYẾT ĐỊNH:
Điều 1. Hủy bỏ việc tặng {hinh_thuc} đối với {doi_tuong} có tên trong danh sách kèm theo tại Quyết định số {quyet_dinh_goc}. Lý do: {ly_do}.
Điều 2. Thu hồi hiện vật và tiền thưởng đã nhận; xóa tên khỏi sổ khen thưởng.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ, Thủ trưởng các cơ quan, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
Lưu: VT, SNV.
";

pub(super) const PREVIOUS_CORRECTION_1: &str = "@trich_yeu
Về việc đính chính Quyết định số {quyet_dinh_goc}
@than
Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;
{can_cu}
Xét đề nghị của Giám đốc Sở Nội vụ.
# QUYẾT ĐỊNH:
Điều 1. Đính chính Quyết định số {quyet_dinh_goc} đối với {doi_tuong} như danh sách kèm theo. Lý do: {ly_do}.
Điều 2. Các nội dung khác của Quyết định số {quyet_dinh_goc} giữ nguyên hiệu lực.
Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc Sở Nội vụ và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
Lưu: VT, SNV.
";

pub(super) const DEFAULT_CERTIFICATE: &str = "@than
# {nguoi_co_tham_quyen}
# TẶNG
## {ten}
{chuc_vu_don_vi}
Đã có thành tích {thanh_tich}
";

/// A decision of a provincial or commune chairman, or of an agency's head:
/// the grounds of its era and its executors come from the issuer.
pub(super) const DEFAULT_DECISION: &str = "@trich_yeu
Về việc {tang} {hinh_thuc}
@than
{can_cu_phap_ly}
{can_cu}
{theo_de_nghi}
# QUYẾT ĐỊNH:
Điều 1. {tang_dau_cau} {hinh_thuc} cho {doi_tuong} (có danh sách kèm theo), {thanh_tich_chung}.
Điều 2. Kèm theo {hinh_thuc}, các tập thể, cá nhân được thưởng theo quy định, mức lương cơ sở {muc_luong_co_so}; tổng số tiền thưởng {tong_tien_thuong}, chi từ {quy_khen_thuong}.
Điều 3. {thi_hanh} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
{de_nghi_cua};
Lưu: VT.
";

/// A decision of the Prime Minister or the President, recorded when the
/// province's forwarded dossier comes back decided.
pub(super) const DEFAULT_CENTRAL_DECISION: &str = "@trich_yeu
Về việc {tang} {hinh_thuc}
@than
{can_cu_phap_ly}
{can_cu}
{theo_de_nghi}
# QUYẾT ĐỊNH:
Điều 1. {tang_dau_cau} {hinh_thuc} cho {doi_tuong} (có danh sách kèm theo), {thanh_tich_chung}.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký ban hành.
Điều 3. {thi_hanh} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
{de_nghi_cua};
Lưu: VT.
";

pub(super) const DEFAULT_REVOCATION: &str = "@trich_yeu
Về việc hủy bỏ quyết định khen thưởng và thu hồi {hinh_thuc}
@than
{can_cu_phap_ly}
{can_cu}
{theo_de_nghi}
# QUYẾT ĐỊNH:
Điều 1. Hủy bỏ việc tặng {hinh_thuc} đối với {doi_tuong} có tên trong danh sách kèm theo tại Quyết định số {quyet_dinh_goc}. Lý do: {ly_do}.
Điều 2. Thu hồi hiện vật và tiền thưởng đã nhận; xóa tên khỏi sổ khen thưởng.
Điều 3. {thi_hanh} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
Lưu: VT.
";

pub(super) const DEFAULT_CORRECTION: &str = "@trich_yeu
Về việc đính chính Quyết định số {quyet_dinh_goc}
@than
{can_cu_phap_ly}
{can_cu}
{theo_de_nghi}
# QUYẾT ĐỊNH:
Điều 1. Đính chính Quyết định số {quyet_dinh_goc} đối với {doi_tuong} như danh sách kèm theo. Lý do: {ly_do}.
Điều 2. Các nội dung khác của Quyết định số {quyet_dinh_goc} giữ nguyên hiệu lực.
Điều 3. {thi_hanh} và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.
@noi_nhan
Như Điều 3;
Lưu: VT.
";
