"""Every user-facing string, in Vietnamese (default) and English, and number formats.

All labels, messages, chart titles, axes, tooltips and export headers come from
:data:`STRINGS` through :func:`t`, so that a translation fix is one edit here.
Numbers are formatted with Babel in the Vietnamese locale (1.234.567; 15,86 %)
or the English one.

Examples
--------
>>> from povlib.i18n import t, fmt_int, fmt_pct
>>> t("status.poor")
'Hộ nghèo'
>>> fmt_int(1234567), fmt_pct(0.1586)
('1.234.567', '15,86 %')
>>> fmt_pct(0.1586, lang="en")
'15.86%'
"""
from __future__ import annotations

from babel.numbers import format_decimal, format_percent

__all__ = ["LANGS", "STRINGS", "t", "fmt_int", "fmt_pct", "fmt_num", "fmt_vnd", "fmt_points", "has"]

LANGS = ("vi", "en")
_LOCALE = {"vi": "vi_VN", "en": "en_US"}

# key -> (Vietnamese, English). Keys are grouped by topic; pages add theirs in their own section.
STRINGS: dict[str, tuple[str, str]] = {
    # --- statuses and groups --------------------------------------------------------------
    "status.poor": ("Hộ nghèo", "Poor"),
    "status.near_poor": ("Hộ cận nghèo", "Near-poor"),
    "status.non_poor": ("Hộ không nghèo", "Non-poor"),
    "status.poor_near": ("Hộ nghèo và cận nghèo", "Poor and near-poor"),
    "status.average": ("Hộ có mức sống trung bình", "Average living standard"),
    "via.income": ("Nghèo về thu nhập", "Income-poor"),
    "via.deprivation": ("Nghèo do thiếu hụt dịch vụ xã hội cơ bản", "Poor through deprivation"),
    "area.rural": ("Nông thôn", "Rural"),
    "area.urban": ("Thành thị", "Urban"),
    "group.all": ("Tất cả hộ", "All households"),
    "group.ethnic_minority": ("Hộ dân tộc thiểu số", "Ethnic-minority households"),
    "group.meritorious": ("Hộ người có công", "Households of people with meritorious service"),
    "group.social_protection": ("Hộ bảo trợ xã hội", "Social-protection households"),
    "group.no_labour": ("Hộ không có khả năng lao động", "Households without labour capacity"),
    "group.female_head": ("Hộ có chủ hộ là nữ", "Female-headed households"),
    # --- flows ----------------------------------------------------------------------------
    "flow.escaped_poverty": ("Thoát nghèo", "Escaped poverty"),
    "flow.newly_poor": ("Nghèo phát sinh", "Newly poor"),
    "flow.re_poor": ("Tái nghèo", "Re-poor"),
    "flow.escaped_near_poverty": ("Thoát cận nghèo", "Escaped near-poverty"),
    "flow.newly_near_poor": ("Cận nghèo phát sinh", "Newly near-poor"),
    "flow.re_near_poor": ("Tái cận nghèo", "Re-near-poor"),
    "flow.recently_escaped": ("Hộ mới thoát nghèo", "Recently escaped"),
    "flow.joined": ("Hộ mới tách/chuyển đến", "Household formed or moved in"),
    "flow.left": ("Hộ chuyển đi/không còn", "Household moved out or dissolved"),
    "flow.start": ("Đầu năm", "Start of year"),
    "flow.end": ("Cuối năm", "End of year"),
    "flow.re_entered": ("Tái nghèo", "Re-entered"),
    "flow.newly_arising": ("Phát sinh mới", "Newly arising"),
    "flow.escaped": ("Thoát", "Escaped"),
    # --- measures -------------------------------------------------------------------------
    "measure.households": ("Tổng số hộ", "Total households"),
    "measure.people": ("Số nhân khẩu", "People"),
    "measure.poor_rate": ("Tỷ lệ hộ nghèo", "Poverty rate"),
    "measure.near_poor_rate": ("Tỷ lệ hộ cận nghèo", "Near-poverty rate"),
    "measure.poor_near_rate": ("Tỷ lệ hộ nghèo và cận nghèo", "Poor and near-poor rate"),
    "measure.poor": ("Số hộ nghèo", "Poor households"),
    "measure.near_poor": ("Số hộ cận nghèo", "Near-poor households"),
    "measure.any_deprived": ("Tỷ lệ hộ thiếu hụt ít nhất một chỉ số", "Share deprived in at least one indicator"),
    "measure.H": ("Tỷ lệ thiếu hụt đa chiều (H)", "Multidimensional headcount (H)"),
    "measure.A": ("Mức độ thiếu hụt bình quân (A)", "Intensity (A)"),
    "measure.M0": ("Chỉ số nghèo đa chiều (M0)", "Adjusted headcount ratio (M0)"),
    "measure.deprivation_count": ("Số chỉ số thiếu hụt", "Number of deprivations"),
    # --- units and general ------------------------------------------------------------------
    "unit.households": ("hộ", "households"),
    "unit.people": ("người", "people"),
    "unit.points": ("điểm %", "points"),
    "unit.vnd": ("đồng", "VND"),
    "general.district": ("Huyện", "District"),
    "general.province": ("Tỉnh", "Province"),
    "general.commune": ("Xã, thị trấn", "Commune"),
    "general.village": ("Thôn, bản", "Village"),
    "general.year": ("Năm rà soát", "Review year"),
    "general.standard": ("Chuẩn nghèo", "Poverty standard"),
    "general.total": ("Tổng cộng", "Total"),
    "general.synthetic_note": (
        "Dữ liệu minh họa được sinh tự động (không phải danh sách hộ thật), hiệu chỉnh theo tỷ lệ hộ nghèo "
        "toàn huyện Chợ Đồn cuối năm 2019 đã công bố là 15,86 %.",
        "Synthetic demo data (not real household lists), calibrated to Chợ Đồn's published end-2019 "
        "district poverty rate of 15.86%.",
    ),
    "general.attribution": (
        "Ranh giới xã và huyện (2009 – 01/2020): gói R censusVN2009, © 2017 Marc Choisy (cùng Lucie Contamin), "
        "giấy phép MIT – github.com/choisy/censusVN2009. Mã đơn vị hành chính: Tổng cục Thống kê.",
        "Commune and district boundaries (2009–Jan 2020): censusVN2009 R package, © 2017 Marc Choisy "
        "(with Lucie Contamin), MIT licence – github.com/choisy/censusVN2009. Administrative codes: GSO.",
    ),
    "general.masked": ("(đã ẩn)", "(masked)"),
    # --- command line -----------------------------------------------------------------------
    "cli.generated": ("Đã sinh {n} dòng hộ ({years}) vào {path}", "Generated {n} household rows ({years}) into {path}"),
    "cli.classified": ("Đã phân loại {n} hộ, ghi vào {path}", "Classified {n} households into {path}"),
    "cli.error": ("Lỗi: {msg}", "Error: {msg}"),
    # === section: app shell and shared filters (ui/, app.py) ===
    "app.lang_label": ("Ngôn ngữ / Language", "Ngôn ngữ / Language"),
    "app.lang.vi": ("Tiếng Việt", "Tiếng Việt"),
    "app.lang.en": ("English", "English"),
    "app.dataset.store": ("Dữ liệu rà soát đã nhập ({name})", "Imported review data ({name})"),
    "app.no_store": ("Chưa có kho dữ liệu đã nhập (povlib.store).", "No imported-data store (povlib.store)."),
    "app.no_dataset": ("Không có bộ dữ liệu '{name}'.", "No dataset '{name}'."),
    "app.title": ("Rà soát hộ nghèo, hộ cận nghèo", "Poor and near-poor household review"),
    "app.page.overview": ("Tổng quan", "Overview"),
    "app.page.map": ("Bản đồ", "Map"),
    "app.page.deprivations": ("Thiếu hụt", "Deprivations"),
    "app.page.trends": ("Xu hướng", "Trends"),
    "app.page.households": ("Danh sách hộ", "Household list"),
    "app.page.data": ("Dữ liệu", "Data"),
    "app.page.reports": ("Báo cáo", "Reports"),
    "app.page.planning": ("Kế hoạch hỗ trợ", "Support plan"),
    "app.dataset": ("Dữ liệu", "Dataset"),
    "app.dataset_help": (
        "Bộ dữ liệu minh họa của huyện (mặc định), của tỉnh (nếu đã tạo) hoặc dữ liệu rà soát đã nhập.",
        "The district demo data (default), the province demo (if built) or imported review data.",
    ),
    "app.dataset.cho-don": ("Huyện Chợ Đồn (dữ liệu minh họa)", "Chợ Đồn district (demo data)"),
    "app.dataset.bac-kan": ("Tỉnh Bắc Kạn (dữ liệu minh họa, 122 xã)", "Bắc Kạn province (demo data, 122 communes)"),
    "app.version": ("Phiên bản", "Version"),
    "app.load_failed": ("Không tải được dữ liệu: {msg}", "Could not load the data: {msg}"),
    "app.qp_bad": (
        "Bỏ qua tham số {name}={value} trong đường dẫn: không có trong dữ liệu.",
        "Ignored the link parameter {name}={value}: not in the data.",
    ),
    "app.standard_auto": ("Theo năm rà soát ({name})", "As reviewed ({name})"),
    "app.standard_help": (
        "Mặc định mỗi năm dùng chuẩn nghèo đã áp dụng khi rà soát. Chọn một chuẩn khác để xem thử "
        "kết quả phân loại lại (chỉ để so sánh).",
        "By default each year uses the standard it was reviewed under. Pick another standard to see the "
        "households reclassified (for comparison only).",
    ),
    "app.whatif_standard": (
        "Đang phân loại lại theo {std} dữ liệu được rà soát theo {own}: kết quả chỉ để so sánh, "
        "không phải số liệu chính thức.",
        "Reclassifying under {std} data reviewed under {own}: for comparison only, not official figures.",
    ),
    "app.mixed_standards": (
        "Chú ý: các năm này được đo theo các chuẩn nghèo khác nhau ({names}). Không so sánh trực tiếp "
        "tỷ lệ giữa các năm thuộc chuẩn khác nhau.",
        "Warning: these years were measured under different poverty standards ({names}). Rates of years "
        "under different standards are not directly comparable.",
    ),
    "app.all_districts": ("Toàn tỉnh", "Whole province"),
    "app.all_communes": ("Tất cả xã", "All communes"),
    "app.group": ("Nhóm hộ", "Household group"),
    "app.role": ("Vai trò", "Role"),
    "app.role.viewer": ("Người xem (ẩn họ tên, số giấy tờ)", "Viewer (names and IDs masked)"),
    "app.role.officer": ("Cán bộ giảm nghèo (hiện họ tên)", "Poverty-reduction officer (names shown)"),
    "app.role_help": (
        "Họ tên chủ hộ và số giấy tờ là dữ liệu cá nhân: chỉ hiện khi chọn vai trò cán bộ. Vai trò không "
        "được lưu trong đường dẫn chia sẻ.",
        "Head names and ID numbers are personal data: shown only in the officer role. The role is not "
        "stored in shared links.",
    ),
    "app.link_hint": (
        "Bộ lọc được lưu trong đường dẫn: sao chép địa chỉ trang để chia sẻ đúng màn hình này.",
        "The filters are kept in the address: copy the page link to share this exact view.",
    ),
    "app.synthetic_province": (
        "Dữ liệu minh họa được sinh tự động (không phải danh sách hộ thật), hiệu chỉnh theo tỷ lệ hộ nghèo "
        "cuối năm 2019 đã công bố của từng huyện, thị xã tỉnh Bắc Kạn (Chợ Đồn 15,86 %).",
        "Synthetic demo data (not real household lists), calibrated to the published end-2019 poverty rate "
        "of each district of Bắc Kạn (Chợ Đồn 15.86%).",
    ),
    "app.scope.province": ("Toàn tỉnh", "Whole province"),
    "app.scope.year": ("Năm {year}", "Year {year}"),
    "app.more": (" và {n} xã khác", " and {n} more"),
    "app.no_rows": ("Không có hộ nào phù hợp với bộ lọc.", "No household matches the filters."),
    # === section: overview page ===
    "ov.count_label": ("{status}: {n} hộ", "{status}: {n} households"),
    "ov.delta": ("{points} ({n} hộ)", "{points} ({n} households)"),
    "ov.delta_hh": ("{n} hộ", "{n} households"),
    "ov.delta_note": ("Mũi tên: thay đổi so với kỳ rà soát {year}.", "Arrows: change since the {year} review."),
    "ov.share_of_poor": ("{pct} số hộ nghèo", "{pct} of the poor"),
    "ov.poor_help": (
        "Tỷ lệ hộ nghèo = số hộ nghèo ÷ tổng số hộ dân cư × 100. Thay đổi tính bằng điểm phần trăm.",
        "Poverty rate = poor households ÷ all resident households × 100. Changes in percentage points.",
    ),
    "ov.escaped_help": (
        "Hộ nghèo ở kỳ rà soát trước, không còn nghèo ở kỳ này.",
        "Poor at the previous review, no longer poor at this one.",
    ),
    "ov.newly_and_re": ("Nghèo phát sinh và tái nghèo", "Newly poor and re-poor"),
    "ov.newly_re_split": ("phát sinh {new} · tái nghèo {re}", "newly poor {new} · re-poor {re}"),
    "ov.newly_help": (
        "Nghèo phát sinh: chưa từng nghèo trước đó. Tái nghèo: đã thoát nghèo ở một năm trước, nay nghèo lại.",
        "Newly poor: never poor before. Re-poor: escaped poverty in an earlier year, poor again now.",
    ),
    "ov.first_year": (
        "{year} là năm đầu của dữ liệu: chưa có biến động so với năm trước.",
        "{year} is the first year of the data: no changes against a previous year.",
    ),
    "ov.income_vs_dep_help": (
        "Nghèo về thu nhập: thu nhập bình quân đầu người từ chuẩn nghèo trở xuống. Nghèo do thiếu hụt: thu "
        "nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt từ 3 chỉ số trở lên.",
        "Income-poor: income per person at or below the poverty line. Deprivation-poor: income above the "
        "poverty line up to the near-poverty line and deprived in 3 or more indicators.",
    ),
    "ov.ranking.commune": ("Xếp hạng các xã", "Communes ranked"),
    "ov.ranking.district": ("Xếp hạng các huyện", "Districts ranked"),
    "ov.ranking_title.commune": ("Tỷ lệ hộ nghèo theo xã, năm {year}", "Poverty rate by commune, {year}"),
    "ov.ranking_title.district": ("Tỷ lệ hộ nghèo theo huyện, năm {year}", "Poverty rate by district, {year}"),
    "ov.ranking_hint.commune": ("Bấm vào một thanh để mở xã đó.", "Click a bar to open that commune."),
    "ov.ranking_hint.district": ("Bấm vào một thanh để xem các xã của huyện đó.",
                                 "Click a bar to see that district's communes."),
    "ov.commune_detail": (
        "{name}: tỷ lệ hộ nghèo {rate} ({poor}/{hh} hộ), xếp thứ {rank}/{n} (cao nhất là 1).",
        "{name}: poverty rate {rate} ({poor}/{hh} households), rank {rank} of {n} (1 = highest).",
    ),
    "ov.show_all": ("Xem toàn địa bàn", "Show the whole area"),
    "ov.table": ("Bảng xếp hạng", "Ranking table"),
    "ov.col.rank": ("Hạng", "Rank"),
    "ov.total_line": ("Toàn địa bàn đang chọn", "Whole selection"),
    # === section: deprivations page ===
    "dep.groups": ("So sánh các nhóm hộ", "Household groups compared"),
    "dep.groups_note": (
        "Mỗi dòng là một nhóm hộ trong địa bàn đang chọn (không áp dụng bộ lọc nhóm ở thanh bên).",
        "Each row is a household group of the selected area (the sidebar group filter is not applied).",
    ),
    "dep.no_indicator_columns": (
        "Dữ liệu này không có kết quả từng chỉ số thiếu hụt (chỉ có điểm B2), nên không tính được các bảng "
        "theo chỉ số. Hãy nhập phiếu có đủ 10 chỉ số.",
        "These data have no per-indicator results (only the B2 score), so the indicator tables cannot be "
        "computed. Import review forms with all 10 indicators.",
    ),
    "dep.missing_indicators": (
        "Dữ liệu không có đủ {n} chỉ số thiếu hụt của {std}: các bảng dưới đây dùng các chỉ số của {own}.",
        "The data lack {n} deprivation indicators of {std}: the tables below use the indicators of {own}.",
    ),
    "dep.H_help": (
        "Tỷ lệ hộ thiếu hụt đa chiều: hộ thiếu hụt từ {k}/{n} chỉ số trở lên (không xét thu nhập).",
        "Share of households multidimensionally deprived: {k} or more of {n} indicators (income not considered).",
    ),
    "dep.A_help": (
        "Mức độ thiếu hụt bình quân của các hộ thiếu hụt đa chiều (tỷ lệ chỉ số bị thiếu hụt).",
        "Average share of indicators in which multidimensionally deprived households are deprived.",
    ),
    "dep.M0_help": ("M0 = H × A (phương pháp Alkire–Foster).", "M0 = H × A (Alkire–Foster method)."),
    "dep.by_indicator": ("Tỷ lệ hộ thiếu hụt theo từng chỉ số", "Share of households deprived in each indicator"),
    "dep.mode": ("Cách tính", "Measure"),
    "dep.mode.uncensored": ("Thiếu hụt (chưa kiểm duyệt)", "Deprived (uncensored)"),
    "dep.mode.censored": ("Thiếu hụt và thiếu hụt đa chiều (kiểm duyệt)", "Deprived and multidimensionally deprived (censored)"),
    "dep.mode_help": (
        "Chưa kiểm duyệt: mọi hộ thiếu hụt chỉ số đó. Kiểm duyệt: chỉ tính hộ thiếu hụt chỉ số đó và thiếu hụt "
        "từ {k} chỉ số trở lên.",
        "Uncensored: every household deprived in the indicator. Censored: only households deprived in it and "
        "in {k} or more indicators.",
    ),
    "dep.bars_title.uncensored": ("Tỷ lệ hộ thiếu hụt theo chỉ số, năm {year}", "Households deprived by indicator, {year}"),
    "dep.bars_title.censored": (
        "Tỷ lệ hộ thiếu hụt đa chiều và thiếu hụt chỉ số, năm {year}",
        "Multidimensionally deprived and deprived in the indicator, {year}",
    ),
    "dep.axis_share": ("Tỷ lệ hộ trong nhóm", "Share of the group's households"),
    "dep.table": ("Bảng số liệu", "Data table"),
    "dep.col.dimension": ("Chiều thiếu hụt", "Dimension"),
    "dep.col.indicator": ("Chỉ số", "Indicator"),
    "dep.contribution": ("Đóng góp vào M0", "Contribution to M0"),
    "dep.contrib_title": ("Đóng góp của từng chỉ số vào M0, năm {year}", "Contribution of each indicator to M0, {year}"),
    "dep.heatmap": ("Thiếu hụt theo địa bàn", "Deprivations by area"),
    "dep.among": ("Tính trong", "Among"),
    "dep.among.all": ("Tất cả hộ", "All households"),
    "dep.among.poor": ("Hộ nghèo", "Poor households"),
    "dep.among.poor_near": ("Hộ nghèo và cận nghèo", "Poor and near-poor households"),
    "dep.heatmap_title.all": ("Tỷ lệ hộ thiếu hụt theo địa bàn và chỉ số, năm {year}",
                              "Households deprived by area and indicator, {year}"),
    "dep.heatmap_title.poor": ("Tỷ lệ hộ nghèo thiếu hụt theo địa bàn và chỉ số, năm {year}",
                               "Poor households deprived by area and indicator, {year}"),
    "dep.heatmap_title.poor_near": ("Tỷ lệ hộ nghèo, cận nghèo thiếu hụt theo địa bàn và chỉ số, năm {year}",
                                    "Poor and near-poor households deprived by area and indicator, {year}"),
    "dep.count_title": ("Số chỉ số thiếu hụt của mỗi hộ", "Number of deprivations per household"),
    "dep.count_chart": ("Số hộ theo số chỉ số thiếu hụt, năm {year}", "Households by number of deprivations, {year}"),
    "dep.cutoff_line": ("ngưỡng {k} chỉ số", "cut-off {k}"),
    "dep.count_note": (
        "Trên tổng số {n} hộ. Hộ có thu nhập trên chuẩn nghèo đến chuẩn cận nghèo và thiếu hụt từ {k} chỉ số "
        "trở lên là hộ nghèo.",
        "Out of {n} households. Households with income above the poverty line up to the near-poverty line "
        "and {k} or more deprivations are poor.",
    ),
    # === section: trends page ===
    "tr.all_years_note": (
        "Trang này hiển thị mọi năm rà soát {first}–{last}; năm đang chọn dùng cho mặc định của sơ đồ chuyển dịch.",
        "This page shows every review year {first}–{last}; the chosen year sets the default of the transition diagram.",
    ),
    "tr.rates": ("Tỷ lệ hộ nghèo, cận nghèo qua các năm", "Poverty and near-poverty rates over the years"),
    "tr.rates_title": ("Tỷ lệ hộ nghèo và cận nghèo", "Poor and near-poor rates"),
    "tr.units_title.commune": ("Tỷ lệ hộ nghèo của từng xã", "Poverty rate of each commune"),
    "tr.units_title.district": ("Tỷ lệ hộ nghèo của từng huyện", "Poverty rate of each district"),
    "tr.units_table": ("Bảng tỷ lệ hộ nghèo theo năm", "Poverty rate by year (table)"),
    "tr.flows": ("Biến động trong năm", "Flows during the year"),
    "tr.flows_poor": ("Biến động hộ nghèo (số hộ)", "Flows of poor households (households)"),
    "tr.flows_near": ("Biến động hộ cận nghèo (số hộ)", "Flows of near-poor households (households)"),
    "tr.flows_table": ("Bảng biến động", "Flows table"),
    "tr.no_flows": ("Cần ít nhất hai năm rà soát để tính biến động.", "Flows need at least two review years."),
    "tr.sankey": ("Chuyển dịch giữa hai kỳ rà soát", "Transitions between two reviews"),
    "tr.from": ("Từ năm", "From year"),
    "tr.to": ("Đến năm", "To year"),
    "tr.order": ("Năm đầu phải trước năm sau.", "The first year must come before the second."),
    "tr.sankey_title": ("Chuyển dịch tình trạng hộ từ {a} đến {b}", "Household status from {a} to {b}"),
    "tr.sankey_note": (
        "“Không có trong danh sách”: hộ mới tách, chuyển đến, chuyển đi hoặc không còn ở năm đó.",
        "“Not on the list”: households formed, moved in, moved out or dissolved in that year.",
    ),
    "tr.absent": ("Không có trong danh sách", "Not on the list"),
    # === section: households page ===
    "hh.col.household_id": ("Mã hộ", "Household ID"),
    "hh.col.head_name": ("Họ tên chủ hộ", "Head of household"),
    "hh.col.id_number": ("Số CCCD/CMND", "ID number"),
    "hh.col.area": ("Khu vực", "Area"),
    "hh.col.members": ("Số nhân khẩu", "Members"),
    "hh.col.status": ("Phân loại", "Status"),
    "hh.col.via": ("Diện nghèo", "Poor through"),
    "hh.col.deprivation_count": ("Số chỉ số thiếu hụt", "Deprivations"),
    "hh.col.deprivations": ("Các chỉ số thiếu hụt", "Deprived indicators"),
    "hh.col.flow": ("Biến động", "Change"),
    "hh.col.ethnic_minority": ("Dân tộc thiểu số", "Ethnic minority"),
    "hh.yes": ("Có", "Yes"),
    "hh.personal_data": (
        "Danh sách có họ tên và số giấy tờ (dữ liệu cá nhân): chỉ dùng cho công việc, không chia sẻ ra ngoài.",
        "The list shows names and ID numbers (personal data): for official use only, do not share.",
    ),
    "hh.masked_note": (
        "Họ tên chủ hộ và số giấy tờ đã được ẩn. Cán bộ giảm nghèo chọn vai trò tương ứng ở thanh bên để xem.",
        "Head names and ID numbers are masked. Poverty-reduction officers can switch role in the sidebar.",
    ),
    "hh.status_filter": ("Phân loại", "Status"),
    "hh.flow_filter": ("Biến động", "Change"),
    "hh.village_filter": ("Thôn, bản", "Village"),
    "hh.any": ("Tất cả", "All"),
    "hh.min_dep": ("Thiếu hụt ít nhất (số chỉ số)", "At least this many deprivations"),
    "hh.count": (
        "**{n}** hộ (nghèo {poor}, cận nghèo {near})",
        "**{n}** households (poor {poor}, near-poor {near})",
    ),
    "hh.file_stem": ("danh_sach_ho_ngheo_can_ngheo_{year}", "poor_near_poor_households_{year}"),
    "hh.export_title": ("DANH SÁCH HỘ NGHÈO, HỘ CẬN NGHÈO NĂM {year}", "POOR AND NEAR-POOR HOUSEHOLDS, {year}"),
    "hh.download_csv": ("Tải CSV", "Download CSV"),
    "hh.download_xlsx": ("Tải Excel", "Download Excel"),
    # === section: map page (pages/map.py, povlib/geo.py) ===
    "map.title": ("Bản đồ hộ nghèo, hộ cận nghèo", "Map of poor and near-poor households"),
    "map.caption": (
        "Mỗi xã được tô màu theo chỉ tiêu đã chọn, năm {year}. Di chuột để xem số liệu; bấm vào một xã để xem "
        "chi tiết các thôn, 10 chỉ số thiếu hụt và xu hướng qua các năm.",
        "Each commune is coloured by the chosen measure, {year}. Hover for figures; click a commune to see its "
        "villages, the 10 deprivation indicators and the trend over the years.",
    ),
    "map.caption_district": (
        "Mỗi huyện được tô màu theo chỉ tiêu đã chọn, năm {year}. Bấm vào một huyện để xem các xã của huyện đó.",
        "Each district is coloured by the chosen measure, {year}. Click a district to see its communes.",
    ),
    "map.measure": ("Chỉ tiêu tô màu", "Measure"),
    "map.level": ("Cấp hiển thị", "Level"),
    "map.level.district": ("Theo huyện", "By district"),
    "map.level.commune": ("Theo xã", "By commune"),
    "map.scheme": ("Cách chia lớp màu", "Classification"),
    "map.scheme.NaturalBreaks": ("ngắt tự nhiên (Jenks)", "natural breaks (Jenks)"),
    "map.scheme.Quantiles": ("phân vị (số đơn vị bằng nhau)", "quantiles (equal counts)"),
    "map.scheme.EqualInterval": ("khoảng đều", "equal intervals"),
    "map.scheme.UniqueValues": ("từng giá trị", "one class per value"),
    "map.basemap": ("Hiện nền bản đồ OpenStreetMap (cần Internet)", "Show OpenStreetMap basemap (needs internet)"),
    "map.basemap_help": (
        "Mặc định bản đồ không dùng nền để chạy được khi không có Internet; ranh giới xã vẫn hiển thị đầy đủ.",
        "By default the map has no basemap so it works offline; commune boundaries are always drawn.",
    ),
    "map.no_data": ("Không có số liệu", "No data"),
    "map.units_short": ("đơn vị", "units"),
    "map.tooltip_unit": ("Đơn vị", "Unit"),
    "map.outline": ("Ranh giới huyện", "District boundary"),
    "map.legend_note": ("Chia lớp: {scheme}", "Classes: {scheme}"),
    "map.back_province": ("← Toàn tỉnh", "← Whole province"),
    "map.district_shown": ("Đang xem: {name}", "Showing: {name}"),
    "map.click_hint": ("Bấm vào một xã trên bản đồ để xem chi tiết.", "Click a commune on the map for details."),
    "map.click_hint_district": ("Bấm vào một huyện để xem các xã.", "Click a district to see its communes."),
    "map.panel_title": ("{name} – năm {year}", "{name} – {year}"),
    "map.close_panel": ("Đóng", "Close"),
    "map.villages": ("Các thôn, bản", "Villages"),
    "map.profile": ("10 chỉ số thiếu hụt dịch vụ xã hội cơ bản", "The 10 basic-service deprivation indicators"),
    "map.profile_unit": ("Tỷ lệ hộ thiếu hụt – {name}", "Share deprived – {name}"),
    "map.profile_parent": ("Tỷ lệ hộ thiếu hụt – {name}", "Share deprived – {name}"),
    "map.profile_axis": ("Tỷ lệ hộ thiếu hụt", "Share of households deprived"),
    "map.indicator": ("Chỉ số", "Indicator"),
    "map.deprived_households": ("Số hộ thiếu hụt", "Households deprived"),
    "map.trend": ("Xu hướng {first}–{last}", "Trend {first}–{last}"),
    "map.trend_axis": ("Tỷ lệ hộ", "Share of households"),
    "map.no_households": ("Không có hộ nào trong phạm vi đã chọn.", "No households in the selected scope."),
    "map.layer_failed": ("Không vẽ được bản đồ: {msg}", "Could not draw the map: {msg}"),
    "map.offline_note": (
        "Bản đồ chạy không cần Internet (Leaflet được phục vụ từ máy chủ của ứng dụng).",
        "The map works offline (Leaflet is served by the app itself).",
    ),
    "map.table_hint": ("Bảng số liệu theo đơn vị", "Figures by unit"),
    "map.selected_hint": ("Đang xem {name}: chi tiết ở bên dưới bản đồ.", "Showing {name}: details below the map."),
    "map.profile_note": (
        "Tỷ lệ hộ thiếu hụt từng chỉ số của xã (màu xanh đậm) so với toàn {name} (màu xám).",
        "Share of households deprived in each indicator: the commune (dark blue) against all of {name} (grey).",
    ),
    # === section: data intake (pages/data.py, povlib/schema.py, io.py, store.py) ===
    "intake.err.bad_format": ("Định dạng tệp '{value}' không được hỗ trợ: chỉ nhận .csv hoặc .xlsx", "Unsupported file type '{value}': only .csv or .xlsx"),
    "intake.err.not_found": ("Không tìm thấy tệp {value}", "File not found: {value}"),
    "intake.err.too_large": ("Tệp quá lớn ({value}); giới hạn là {limit} MB", "File too large ({value}); the limit is {limit} MB"),
    "intake.err.empty_file": ("Tệp rỗng: không có dòng dữ liệu nào dưới dòng tiêu đề", "Empty file: no data row below the header"),
    "intake.err.unreadable": ("Không đọc được tệp ({value}). Hãy lưu lại dưới dạng .xlsx hoặc .csv (UTF-8)", "Cannot read the file ({value}). Save it again as .xlsx or .csv (UTF-8)"),
    "intake.err.too_many_fields": ("Dòng có nhiều ô hơn số cột tiêu đề ({count}): kiểm tra dấu phẩy trong nội dung (đặt trong ngoặc kép)", "The row has more cells than the header's {count} columns: check for commas inside values (quote them)"),
    "intake.err.blank_header": ("Cột thứ {position} có dữ liệu nhưng không có tiêu đề", "Column {position} has data but no header"),
    "intake.err.unknown_column": ("Cột '{value}' không có trong mẫu biểu. Hãy đổi tên theo mẫu hoặc xóa cột này", "Column '{value}' is not in the template. Rename it as in the template or remove it"),
    "intake.err.duplicate_column": ("Cột '{value}' trùng nội dung với cột '{other}'", "Column '{value}' duplicates column '{other}'"),
    "intake.err.missing_column": ("Thiếu cột bắt buộc '{column}'", "Required column '{column}' is missing"),
    "intake.err.missing_income_column": ("Thiếu cột '{column}' hoặc '{other}': cần ít nhất một trong hai để phân loại hộ", "Column '{column}' or '{other}' is missing: one of them is needed to classify households"),
    "intake.err.missing_indicator_column": ("Thiếu cột chỉ số '{column}' và không có cột '{other}'", "Indicator column '{column}' is missing and there is no '{other}' column"),
    "intake.err.wrong_type": ("Giá trị '{value}' ở cột '{column}' không hợp lệ: phải là {expected}", "Value '{value}' in column '{column}' is invalid: it must be {expected}"),
    "intake.err.missing_value": ("Ô cột '{column}' bị bỏ trống (bắt buộc)", "Cell of column '{column}' is blank (required)"),
    "intake.err.out_of_range": ("Giá trị {value} ở cột '{column}' nằm ngoài khoảng cho phép ({lo}–{hi})", "Value {value} in column '{column}' is out of range ({lo}–{hi})"),
    "intake.err.not_multiple": ("Giá trị {value} ở cột '{column}' phải là bội số của {step}", "Value {value} in column '{column}' must be a multiple of {step}"),
    "intake.err.bad_area": ("Khu vực '{value}' không hợp lệ: chỉ nhận 'Nông thôn' hoặc 'Thành thị'", "Area '{value}' is invalid: only 'Nông thôn' (rural) or 'Thành thị' (urban)"),
    "intake.err.bad_sex": ("Giới tính '{value}' không hợp lệ: chỉ nhận 'Nam' hoặc 'Nữ'", "Sex '{value}' is invalid: only 'Nam' (male) or 'Nữ' (female)"),
    "intake.err.unknown_standard": ("Chuẩn nghèo '{value}' không tồn tại (QD59_2015 hoặc ND07_2021)", "Unknown poverty standard '{value}' (QD59_2015 or ND07_2021)"),
    "intake.err.bad_code_format": ("Mã xã '{value}' không đúng dạng 5 chữ số", "Commune code '{value}' is not 5 digits"),
    "intake.err.unknown_commune": ("Mã xã '{value}' không có trong danh mục đơn vị hành chính tỉnh Bắc Kạn (2019)", "Commune code '{value}' is not in the Bắc Kạn commune list (2019)"),
    "intake.err.year_mismatch": ("Năm rà soát {value} khác với năm đã chọn {expected}", "Review year {value} differs from the chosen year {expected}"),
    "intake.err.no_standard": ("Không có chuẩn nghèo nào áp dụng cho năm rà soát {value}", "No poverty standard applies to review year {value}"),
    "intake.err.commune_name_mismatch": ("Tên xã '{value}' không khớp với mã xã (mã này là {expected})", "Commune name '{value}' does not match the code (that code is {expected})"),
    "intake.err.duplicate_id": ("Mã hộ '{value}' bị trùng trong tệp (cùng năm; xuất hiện lần đầu ở dòng {first})", "Household ID '{value}' appears more than once in the file (same year; first at row {first})"),
    "intake.err.no_income": ("Thiếu cả thu nhập lẫn '{other}': không phân loại được hộ", "Both income and '{other}' are blank: the household cannot be classified"),
    "intake.err.no_deprivation_data": ("Thiếu dữ liệu thiếu hụt: cần đủ các cột chỉ số hoặc '{other}' (ô '{column}' trống)", "No deprivation data: all indicator columns or '{other}' are needed ('{column}' is blank)"),
    "intake.err.b2_mismatch": ("Điểm B2 = {value} không bằng {step} điểm × số chỉ số thiếu hụt đã đánh dấu", "B2 score {value} is not {step} points × the number of deprived indicators marked"),
    "intake.err.id_other_commune": ("Mã hộ '{value}' đã được ghi nhận cho xã {other} trong năm {year}", "Household ID '{value}' is already recorded for commune {other} in {year}"),
    "intake.err.born_after_review": ("Năm sinh {value} sau năm rà soát", "Birth year {value} is after the review year"),
    "intake.err.orphan_member": ("Thành viên thuộc hộ '{value}' nhưng hộ này không có trong tệp hộ {other}", "Member of household '{value}', which is not in the household file {other}"),
    "intake.err.member_rows_invalid": ("Hộ '{value}' có thành viên bị lỗi trong tệp {other} (dòng {member_rows})", "Household '{value}' has faulty members in {other} (rows {member_rows})"),
    "intake.err.member_count_mismatch": ("Số nhân khẩu {value} khác số thành viên trong tệp {other} ({count})", "Household size {value} differs from the number of members in {other} ({count})"),
    "intake.err.no_members": ("Hộ '{value}' không có thành viên nào trong tệp {other} và thiếu các chỉ số về giáo dục, y tế", "Household '{value}' has no member in {other} and lacks the education and health indicators"),
    "intake.err.contradicts_members": ("Giá trị {value} ở cột '{column}' mâu thuẫn với kết quả tính từ tệp thành viên {other}", "Value {value} in column '{column}' contradicts what the member file {other} gives"),
    "intake.col.file": ("Tệp", "File"),
    "intake.col.row": ("Dòng", "Row"),
    "intake.col.column": ("Cột", "Column"),
    "intake.col.value": ("Giá trị", "Value"),
    "intake.col.message": ("Nội dung lỗi", "Problem"),
    "intake.col.message_other": ("Nội dung lỗi (tiếng Anh)", "Problem (Vietnamese)"),
    "intake.col.check": ("Mã kiểm tra", "Check"),
    "intake.sheet.errors": ("Danh sách lỗi", "Errors"),
    "intake.sheet.rejected": ("Các dòng bị loại", "Rejected rows"),
    "intake.sheet.household": ("Hộ gia đình", "Households"),
    "intake.sheet.member": ("Thành viên", "Members"),
    "intake.sheet.notes": ("Hướng dẫn", "Notes"),
    "intake.report_title": ("Báo cáo kiểm tra tệp {file}", "Check report for {file}"),
    "intake.kind.text": ("Chữ", "Text"),
    "intake.kind.code": ("Mã 5 chữ số (định dạng chữ)", "5-digit code (as text)"),
    "intake.kind.int": ("Số nguyên", "Whole number"),
    "intake.kind.bool": ("Có/Không", "Yes/No"),
    "intake.kind.area": ("Nông thôn/Thành thị", "Rural/Urban"),
    "intake.kind.sex": ("Nam/Nữ", "Male/Female"),
    "intake.kind.standard": ("Mã chuẩn nghèo", "Standard id"),
    "intake.kind.indicator": ("0 hoặc 1", "0 or 1"),
    "intake.required.yes": ("Bắt buộc", "Required"),
    "intake.required.no": ("Không bắt buộc", "Optional"),
    "intake.required.year": ("Bắt buộc (trừ khi chọn năm khi nạp)", "Required (unless the year is chosen at import)"),
    "intake.required.income_or_b1": ("Cần thu nhập hoặc Điểm B1", "Income or B1 score needed"),
    "intake.required.indicators_or_b2": ("Cần đủ các cột chỉ số hoặc Điểm B2", "All indicators or the B2 score needed"),
    "intake.notes.header_vi": ("Tiêu đề cột (tiếng Việt)", "Header (Vietnamese)"),
    "intake.notes.header_en": ("Tiêu đề cột (tiếng Anh, cũng được chấp nhận)", "Header (English, also accepted)"),
    "intake.notes.name": ("Tên trong hệ thống", "Name in the system"),
    "intake.notes.required": ("Bắt buộc?", "Required?"),
    "intake.notes.kind": ("Kiểu dữ liệu", "Type"),
    "intake.notes.description": ("Mô tả", "Description (Vietnamese)"),
    "intake.notes.description_en": ("Mô tả (tiếng Anh)", "Description"),
    "intake.notes.title_household": ("Mẫu tệp kết quả rà soát hộ nghèo, hộ cận nghèo: mỗi dòng một hộ. Dòng 1 là tiêu đề, dữ liệu từ dòng 2. Lưu dạng .xlsx hoặc .csv (UTF-8), tối đa {max_mb} MB.", "Review results template: one row per household. Row 1 is the header, data from row 2. Save as .xlsx or .csv (UTF-8), at most {max_mb} MB."),
    "intake.notes.title_member": ("Mẫu tệp thành viên hộ (không bắt buộc): mỗi dòng một người. Dòng 1 là tiêu đề, dữ liệu từ dòng 2.", "Member file template (optional): one row per person. Row 1 is the header, data from row 2."),
    "intake.page.title": ("Dữ liệu", "Data"),
    "intake.page.intro": ("Nạp kết quả rà soát của các xã (tệp .xlsx hoặc .csv theo mẫu), kiểm tra lỗi, và quản lý các phiên bản dữ liệu đã nạp.", "Load the communes' review results (.xlsx or .csv in the template layout), check them, and manage the stored versions."),
    "intake.page.templates": ("Tải mẫu biểu", "Download templates"),
    "intake.page.template_household": ("Mẫu tệp hộ gia đình (.xlsx)", "Household template (.xlsx)"),
    "intake.page.template_member": ("Mẫu tệp thành viên (.xlsx)", "Member template (.xlsx)"),
    "intake.page.layout_help": ("Dòng 1 là tiêu đề (tiếng Việt hoặc tiếng Anh), dữ liệu từ dòng 2. Bảng mô tả từng cột ở trang 'Hướng dẫn' của mẫu. Mã hóa UTF-8, UTF-8 BOM hoặc Windows-1258; tối đa {max_mb} MB.", "Row 1 is the header (Vietnamese or English), data from row 2. Each column is described on the template's 'Hướng dẫn' sheet. UTF-8, UTF-8 with BOM or Windows-1258; at most {max_mb} MB."),
    "intake.page.upload_household": ("Tệp hộ gia đình (bắt buộc)", "Household file (required)"),
    "intake.page.upload_member": ("Tệp thành viên hộ (không bắt buộc)", "Member file (optional)"),
    "intake.page.year": ("Năm rà soát (nếu tệp không có cột năm)", "Review year (if the file has no year column)"),
    "intake.page.year_from_file": ("Theo cột năm trong tệp", "From the file's year column"),
    "intake.page.importer": ("Người nạp (họ tên)", "Imported by (name)"),
    "intake.page.importer_missing": ("Hãy nhập họ tên người nạp dữ liệu.", "Enter the name of the person importing."),
    "intake.page.check": ("Kiểm tra tệp", "Check the file"),
    "intake.page.summary": ("Đọc {rows} dòng hộ: {valid} dòng hợp lệ, {rejected} dòng bị loại; {errors} lỗi.", "Read {rows} household rows: {valid} valid, {rejected} rejected; {errors} problems."),
    "intake.page.no_errors": ("Không phát hiện lỗi. Có thể nạp dữ liệu.", "No problems found. The data can be imported."),
    "intake.page.has_errors": ("Tệp còn lỗi: chưa nạp được. Sửa tệp rồi tải lên lại, hoặc chọn 'Chỉ nạp các dòng hợp lệ'.", "The file has problems: nothing can be imported. Fix the file and upload it again, or tick 'Import valid rows only'."),
    "intake.page.file_errors": ("Lỗi cấu trúc tệp (cột, định dạng): phải sửa tệp trước khi nạp.", "Structural problems (columns, format): the file must be fixed before importing."),
    "intake.page.errors": ("Danh sách lỗi", "Problems"),
    "intake.page.preview": ("Xem trước dữ liệu hợp lệ (tối đa 200 dòng)", "Preview of the valid rows (at most 200)"),
    "intake.page.download_csv": ("Tải báo cáo lỗi (.csv)", "Problem report (.csv)"),
    "intake.page.download_xlsx": ("Tải báo cáo lỗi (.xlsx)", "Problem report (.xlsx)"),
    "intake.page.valid_only": ("Chỉ nạp các dòng hợp lệ", "Import valid rows only"),
    "intake.page.valid_only_help": ("Các dòng bị loại vẫn nằm trong báo cáo lỗi để tải về.", "Rejected rows stay in the downloadable problem report."),
    "intake.page.import": ("Nạp dữ liệu", "Import"),
    "intake.page.imported": ("Đã nạp {n} hộ vào phiên bản {version} (tổng cộng {total} hộ).", "Imported {n} households as version {version} ({total} households in all)."),
    "intake.page.import_failed": ("Không nạp được: {msg}", "Import failed: {msg}"),
    "intake.page.versions": ("Các phiên bản dữ liệu đã nạp", "Stored versions"),
    "intake.page.no_versions": ("Chưa có dữ liệu nào được nạp; bảng điều khiển đang dùng dữ liệu minh họa.", "Nothing imported yet; the dashboard shows the synthetic demo data."),
    "intake.page.undo": ("Hoàn tác phiên bản", "Undo version"),
    "intake.page.undo_pick": ("Chọn phiên bản cần hoàn tác", "Version to undo"),
    "intake.page.undo_done": ("Đã hoàn tác phiên bản {version}; phiên bản mới nhất là {latest}.", "Version {version} undone; the latest version is now {latest}."),
    "intake.page.undo_help": ("Hoàn tác tạo một phiên bản mới khôi phục dữ liệu trước lần nạp đó; không xóa gì.", "Undo creates a new version restoring the data before that import; nothing is deleted."),
    "intake.ver.version": ("Phiên bản", "Version"),
    "intake.ver.created_at": ("Thời điểm (UTC)", "When (UTC)"),
    "intake.ver.imported_by": ("Người nạp", "By"),
    "intake.ver.kind": ("Loại", "Kind"),
    "intake.ver.kind_import": ("Nạp tệp", "Import"),
    "intake.ver.kind_undo": ("Hoàn tác {version}", "Undo of {version}"),
    "intake.ver.file_name": ("Tệp", "File"),
    "intake.ver.checksum": ("Mã kiểm tra (SHA-256)", "Checksum (SHA-256)"),
    "intake.ver.years": ("Năm", "Years"),
    "intake.ver.communes": ("Số xã", "Communes"),
    "intake.ver.rows_in_file": ("Dòng trong tệp", "Rows in file"),
    "intake.ver.rows_imported": ("Dòng đã nạp", "Rows imported"),
    "intake.ver.rows_rejected": ("Dòng bị loại", "Rows rejected"),
    "intake.ver.rows_total": ("Tổng số hộ sau khi nạp", "Households after"),
    "intake.ver.undone": ("Đã hoàn tác", "Undone"),
    "intake.ver.latest": ("Mới nhất", "Latest"),
    "intake.cli.ok": ("Đã nạp {n} hộ từ {file} vào phiên bản {version} (tổng cộng {total} hộ).", "Imported {n} households from {file} as version {version} ({total} households in all)."),
    "intake.cli.errors": ("Tệp có {n} lỗi; không nạp gì (dùng --valid-only để chỉ nạp {valid} dòng hợp lệ).", "The file has {n} problems; nothing imported (use --valid-only to import the {valid} valid rows)."),
    "intake.cli.file_errors": ("Tệp có {n} lỗi cấu trúc; không nạp gì.", "The file has {n} structural problems; nothing imported."),
    "intake.cli.valid_only": ("Bỏ qua {rejected} dòng bị loại ({n} lỗi); các dòng này có trong báo cáo lỗi.", "Skipped {rejected} rejected rows ({n} problems); they are in the problem report."),
    "intake.cli.report_written": ("Đã ghi báo cáo lỗi vào {path}", "Problem report written to {path}"),
    "intake.cli.nothing_valid": ("Không có dòng hợp lệ nào để nạp.", "No valid row to import."),
    "intake.cli.undone": ("Đã hoàn tác phiên bản {version}; phiên bản mới nhất là {latest}.", "Version {version} undone; the latest version is {latest}."),
    "intake.store.conflict": ("Có lần nạp khác vừa ghi cùng lúc; hãy thử lại.", "Another import was written at the same time; try again."),
    "intake.store.no_version": ("Không có phiên bản dữ liệu {version}", "No stored version {version}"),
    "intake.store.id_conflict": ("{n} mã hộ đã được ghi nhận cho xã khác trong cùng năm (ví dụ '{example}')", "{n} household IDs are already recorded for another commune in the same year (e.g. '{example}')"),
    "intake.store.no_dataset": ("Không có bộ dữ liệu '{dataset}'", "No dataset '{dataset}'"),
    "intake.store.empty": ("Không có dòng nào để nạp", "No row to import"),
    # === section: reports and exports (pages/reports.py, povlib/reports.py, export.py) ===
    "report.err.year": ("Năm {year} không có trong dữ liệu (các năm có: {years})",
                        "Year {year} is not in the data (years available: {years})"),
    "report.err.status": ("Trạng thái '{status}' không hợp lệ (chỉ nhận poor hoặc near_poor)",
                          "Invalid status '{status}' (only poor or near_poor)"),
    "report.err.level": ("Cấp báo cáo '{level}' không hợp lệ (chỉ nhận commune hoặc district)",
                         "Invalid report level '{level}' (only commune or district)"),
    "report.err.kind": ("Loại báo cáo '{kind}' không hợp lệ (chỉ nhận: {kinds})",
                        "Invalid report kind '{kind}' (only: {kinds})"),
    "report.err.pct_base": ("Mẫu số tỷ lệ '{value}' không hợp lệ (chỉ nhận households hoặc start)",
                            "Invalid percentage base '{value}' (only households or start)"),
    "report.err.mixed_standards": ("Trong cùng một năm có nhiều chuẩn nghèo ({standards}); hãy tách riêng từng chuẩn",
                                   "Several poverty standards in one year ({standards}); report each separately"),
    "report.err.inconsistent": ("Số liệu biến động và số liệu cuối năm không khớp nhau: dữ liệu có lỗi, hãy báo cho quản trị",
                                "Flow figures and end-of-year figures disagree: the data is inconsistent, please report it"),
    "report.err.commune": ("Không có xã mã {commune} trong dữ liệu năm {year}",
                           "No commune with code {commune} in the {year} data"),
    "report.err.district": ("Không có huyện mã {district} trong dữ liệu", "No district with code {district} in the data"),
    "report.unit_unknown": ("(chưa rõ đơn vị)", "(unknown unit)"),
    "report.area.urban": ("Khu vực thành thị", "Urban areas"),
    "report.area.rural": ("Khu vực nông thôn", "Rural areas"),
    "report.word.poor": ("nghèo", "poor"),
    "report.word.near_poor": ("cận nghèo", "near-poor"),
    "report.sum.start": ("Số hộ {s} đầu năm", "Start of year: {s} households"),
    "report.sum.flows": ("Diễn biến hộ {s} trong năm", "Changes in the year: {s} households"),
    "report.sum.end": ("Số hộ {s} cuối năm", "End of year: {s} households"),
    "report.sum.escaped.poor": ("Thoát nghèo", "Escaped poverty"),
    "report.sum.escaped.near_poor": ("Thoát cận nghèo", "Escaped near-poverty"),
    "report.sum.re_entered.poor": ("Tái nghèo", "Re-poor"),
    "report.sum.re_entered.near_poor": ("Tái cận nghèo", "Re-near-poor"),
    "report.sum.newly.poor": ("Nghèo phát sinh", "Newly poor"),
    "report.sum.newly.near_poor": ("Cận nghèo phát sinh", "Newly near-poor"),
    "report.col.tt": ("TT", "No."),
    "report.col.stt": ("STT", "No."),
    "report.col.unit.commune": ("Xã, phường, thị trấn", "Commune"),
    "report.col.unit.district": ("Huyện, thị xã, thành phố", "District"),
    "report.col.households": ("Tổng số hộ dân cư", "Total households"),
    "report.col.number": ("Số hộ", "Households"),
    "report.col.pct": ("Tỷ lệ %", "Rate %"),
    "report.col.total": ("Tổng số", "Total"),
    "report.col.of_which_em": ("Trong đó hộ DTTS", "Of which ethnic minority"),
    "report.col.rate_of_households": ("Tỷ lệ % (trên tổng số hộ)", "Rate % (of all households)"),
    "report.col.em_number": ("Số hộ DTTS", "Ethnic-minority households"),
    "report.col.rate_of_em": ("Tỷ lệ % (trên số hộ DTTS)", "Rate % (of ethnic-minority households)"),
    "report.col.dimension": ("Chiều thiếu hụt", "Dimension"),
    "report.col.indicator": ("Chỉ số đo lường", "Indicator"),
    "report.col.deprived_number": ("Số hộ thiếu hụt", "Deprived households"),
    "report.col.deprived_pct": ("Tỷ lệ % (trên số hộ của nhóm)", "Rate % (of the group's households)"),
    "report.col.head_name": ("Họ và tên chủ hộ", "Head of household"),
    "report.col.status": ("Phân loại hộ", "Status"),
    "report.col.poor_via": ("Nghèo theo", "Poor through"),
    "report.col.em": ("Hộ DTTS", "Ethnic minority"),
    "report.col.note": ("Ghi chú", "Note"),
    "report.ind.poor_all": ("Hộ nghèo (tổng số)", "Poor households (all)"),
    "report.ind.group_size": ("Số hộ của nhóm", "Households in the group"),
    "report.post.via_income": ("Thu nhập", "Income"),
    "report.post.via_deprivation": ("Thiếu hụt dịch vụ xã hội cơ bản", "Deprivation of basic social services"),
    "report.title.summary.poor": ("Biểu tổng hợp kết quả rà soát hộ nghèo năm {year}",
                                  "Summary of the {year} review: poor households"),
    "report.title.summary.near_poor": ("Biểu tổng hợp kết quả rà soát hộ cận nghèo năm {year}",
                                       "Summary of the {year} review: near-poor households"),
    "report.title.indicators": ("Hộ nghèo, hộ cận nghèo theo chỉ số thiếu hụt năm {year}",
                                "Poor and near-poor households by deprived indicator, {year}"),
    "report.title.groups": ("Hộ nghèo, hộ cận nghèo theo nhóm đối tượng năm {year}",
                            "Poor and near-poor households by group, {year}"),
    "report.title.posting": ("Danh sách hộ nghèo, hộ cận nghèo năm {year} (niêm yết công khai)",
                             "List of poor and near-poor households, {year} (for public posting)"),
    "report.title.unit": ("Đơn vị: {unit}", "Unit: {unit}"),
    "report.title.year": ("Năm rà soát: {year}", "Review year: {year}"),
    "report.title.standard": ("Chuẩn nghèo: {name} ({source})", "Poverty standard: {name} ({source})"),
    "report.title.unit_hh": ("Đơn vị tính: hộ", "Unit: households"),
    "report.title.unit_hh_pct": ("Đơn vị tính: hộ; tỷ lệ: %", "Units: households; rates: %"),
    "report.sheet.summary.poor": ("Hộ nghèo", "Poor"),
    "report.sheet.summary.near_poor": ("Hộ cận nghèo", "Near-poor"),
    "report.sheet.indicators": ("Theo chỉ số thiếu hụt", "By indicator"),
    "report.sheet.groups": ("Theo nhóm đối tượng", "By group"),
    "report.sheet.posting": ("Danh sách niêm yết", "Posting list"),
    "report.note.pct_base.households": (
        "Tỷ lệ thoát, tái, phát sinh và tỷ lệ cuối năm tính trên tổng số hộ dân cư của đơn vị trong năm rà soát.",
        "Escaped, re-entered, newly-arising and end-of-year rates are shares of all households of the unit in the review year."),
    "report.note.pct_base.start": (
        "Tỷ lệ thoát, tái, phát sinh tính trên số hộ đầu năm; tỷ lệ cuối năm tính trên tổng số hộ dân cư.",
        "Escaped, re-entered and newly-arising rates are shares of the households at the start of the year; the end-of-year rate is a share of all households."),
    "report.note.em_rate": ("Tỷ lệ hộ DTTS cuối năm tính trên tổng số hộ dân tộc thiểu số của đơn vị.",
                            "The ethnic-minority rate is a share of the unit's ethnic-minority households."),
    "report.note.identity": (
        "Cân đối: cuối năm = đầu năm − thoát (− chuyển thành hộ nghèo) + tái + phát sinh + hộ mới tách/chuyển đến "
        "− hộ chuyển đi/không còn (mỗi dòng tính ở cấp của dòng đó: hộ chuyển giữa hai xã trong huyện không làm "
        "thay đổi dòng tổng).",
        "Balance: end = start − escaped (− became poor) + re-entered + newly arising + formed/moved in − moved "
        "out/dissolved (each row at its own level: a move between two communes of the district does not change "
        "the total)."),
    "report.note.first_year": ("Năm {year} là năm đầu tiên của dữ liệu: chưa có số liệu đầu năm và diễn biến.",
                               "{year} is the first year of the data: no start-of-year figures or changes."),
    "report.note.std_changed": (
        "Lưu ý: năm {prev} rà soát theo chuẩn nghèo khác; diễn biến so với năm trước không so sánh được.",
        "Note: {prev} was reviewed under another poverty standard; changes against the previous year are not comparable."),
    "report.note.indicators": (
        "Tỷ lệ = số hộ thiếu hụt chỉ số ÷ số hộ của nhóm. Một hộ có thể thiếu hụt nhiều chỉ số.",
        "Rate = households deprived in the indicator ÷ households of the group. A household can be deprived in several indicators."),
    "report.note.groups": (
        "Một hộ có thể thuộc nhiều nhóm đối tượng (định nghĩa nhóm chưa được đối chiếu với văn bản chính thức).",
        "A household can belong to several groups (group definitions not yet checked against the official text)."),
    "report.note.posting": (
        "Danh sách để niêm yết công khai tại trụ sở UBND xã và nhà văn hóa thôn, bản sau khi họp dân.",
        "List for public posting at the commune office and village halls after the village meeting."),
    "report.page.intro": (
        "Các biểu báo cáo kết quả rà soát theo mẫu của tỉnh, tính bằng cùng các hàm như trên các trang khác "
        "(số liệu khớp với bảng điều khiển). Bộ lọc nhóm đối tượng và danh sách xã ở thanh bên không áp dụng: "
        "biểu báo cáo luôn tính trên toàn bộ hộ dân cư của đơn vị báo cáo.",
        "The province's review report tables, computed with the same functions as the other pages (figures "
        "match the dashboard). The sidebar's group and commune filters do not apply: reports always cover all "
        "households of the reporting unit."),
    "report.page.kind": ("Loại báo cáo", "Report"),
    "report.kind.summary": ("Biểu tổng hợp", "Summary table"),
    "report.kind.indicators": ("Theo chỉ số thiếu hụt", "By indicator"),
    "report.kind.groups": ("Theo nhóm đối tượng", "By group"),
    "report.kind.posting": ("Danh sách niêm yết", "Posting list"),
    "report.page.unit": ("Đơn vị báo cáo", "Reporting unit"),
    "report.page.whole": ("Toàn bộ: {name}", "All of {name}"),
    "report.page.level": ("Mỗi dòng là", "One row per"),
    "report.level.commune": ("Xã, phường, thị trấn", "Commune"),
    "report.level.district": ("Huyện, thị xã, thành phố", "District"),
    "report.page.pct_base": ("Tỷ lệ thoát, tái, phát sinh tính trên", "Escaped / re-entered / newly-arising % of"),
    "report.pct_base.households": ("Tổng số hộ dân cư", "All households"),
    "report.pct_base.start": ("Số hộ đầu năm", "Households at the start of the year"),
    "report.page.include_escaped": ("Kèm danh sách hộ thoát nghèo, thoát cận nghèo",
                                    "Also list households that escaped poverty or near-poverty"),
    "report.page.pick_commune": ("Danh sách niêm yết lập cho từng xã: hãy chọn một xã ở ô «Đơn vị báo cáo».",
                                 "The posting list is made per commune: choose one under «Reporting unit»."),
    "report.page.masked": (
        "Họ tên chủ hộ đang được ẩn. Cán bộ giảm nghèo chọn vai trò tương ứng ở thanh bên để xem và tải "
        "danh sách đầy đủ để niêm yết.",
        "Household heads' names are masked. A poverty-reduction officer can switch role in the sidebar to see "
        "and download the full list for posting."),
    "report.page.download_xlsx": ("Tải báo cáo (.xlsx)", "Download report (.xlsx)"),
    "report.page.download_csv": ("Tải bảng «{name}» (.csv)", "Download «{name}» table (.csv)"),
    "report.page.rows": ("{n} dòng", "{n} rows"),
    "report.page.identity_ok": ("Cân đối đầu năm – diễn biến – cuối năm đúng trên mọi dòng.",
                                "Start – changes – end balance holds on every row."),
    "report.page.identity_bad": ("Cân đối không khớp ở {n} dòng: hãy kiểm tra dữ liệu.",
                                 "The balance fails on {n} rows: check the data."),
    "report.note.flag_missing": ("{n} hộ chưa có thông tin «{flag}» nên không được tính vào nhóm này.",
                                 "{n} households have no «{flag}» value and are not counted in that group."),
    "report.err.no_indicators": (
        "Không lập được báo cáo theo chỉ số thiếu hụt: dữ liệu không có các cột chỉ số ({columns})",
        "No report by indicator: the data has no indicator columns ({columns})"),
    "report.note.indicators_unknown": (
        "{n} hộ chỉ có điểm B2, không có số liệu từng chỉ số, nên không được tính trong bảng này.",
        "{n} households have only a B2 score, no per-indicator answers, and are left out of this table."),
    "report.cli.warning": ("Lưu ý: {msg}", "Note: {msg}"),
    "report.sum.to_poor": ("Chuyển thành hộ nghèo", "Became poor"),
    "report.title.standard_whatif": ("Chuẩn nghèo áp dụng thử: {name} (dữ liệu rà soát theo {own})",
                                     "Poverty standard applied as a what-if: {name} (data reviewed under {own})"),
    "report.note.whatif": (
        "Bảng tính thử khi phân loại lại theo {name}; không phải số liệu chính thức của kỳ rà soát theo {own}.",
        "What-if table, households reclassified under {name}; not the official figures of the review under {own}."),
    "report.cli.bad_out": ("Tệp kết quả {name} phải có đuôi .xlsx hoặc .csv", "Output file {name} must end in .xlsx or .csv"),
    "report.cli.written": ("Đã ghi {path}", "Wrote {path}"),
    "report.cli.summary": ("{tables} bảng, {rows} dòng; nguồn dữ liệu: {source}", "{tables} tables, {rows} rows; data source: {source}"),
    "report.note.masked": ("Họ tên chủ hộ đã được ẩn bớt (vai trò hiện tại không được xem thông tin cá nhân).",
                           "Household heads' names are masked (the current role may not see personal data)."),
    # === section: planning (pages/planning.py, povlib/policy.py) ===
    "plan.intro": (
        "Số hộ, số người thuộc diện từng chính sách hỗ trợ và kinh phí dự kiến theo từng xã, tính từ kết quả rà "
        "soát năm {year}. Sửa mức hỗ trợ trong bảng để xem kịch bản; tệp chính sách chỉ thay đổi khi bấm Lưu.",
        "Households and people eligible for each support policy and the expected cost per commune, from the "
        "{year} review. Edit unit amounts in the table to see a scenario; the policies file changes only when you save.",
    ),
    "plan.section.policies": ("Chính sách và mức hỗ trợ", "Policies and unit amounts"),
    "plan.section.params": ("Tham số tính mức hỗ trợ", "Parameters of the amounts"),
    "plan.section.by_commune": ("Đối tượng và kinh phí theo xã", "Beneficiaries and cost per commune"),
    "plan.section.totals": ("Tổng hợp theo xã", "Totals per commune"),
    "plan.section.whatif": ("Giả định can thiệp: hộ nào có thể thoát nghèo?", "What-if: which interventions lift households out of poverty?"),
    "plan.section.export": ("Tải kế hoạch", "Download the plan"),
    "plan.editor_help": (
        "Sửa cột “Mức hỗ trợ (đồng)” để xem kịch bản. Mức tính theo công thức (BHYT, tiền điện) được sửa qua bảng tham số bên dưới.",
        "Edit the “Unit amount (VND)” column to see a scenario. Amounts computed by formula (health insurance, electricity) change through the parameters below.",
    ),
    "plan.unconfirmed_warning": (
        "Các mức đánh dấu “Chưa xác nhận” chưa được đối chiếu với văn bản pháp luật: kinh phí tương ứng chỉ để tham khảo.",
        "Amounts marked “Unconfirmed” have not been checked against the legal text: the matching costs are indicative only.",
    ),
    "plan.formula_edit_ignored": (
        "Mức hỗ trợ của “{name}” tính theo công thức ({formula}): sửa các tham số thay vì sửa trực tiếp. Thay đổi đã bỏ qua.",
        "The amount of “{name}” is computed ({formula}): edit the parameters instead. The change was ignored.",
    ),
    "plan.edit_error": ("Không dùng được giá trị vừa sửa: {msg}", "The edited value cannot be used: {msg}"),
    "plan.scenario_active": (
        "Đang xem kịch bản với mức hỗ trợ đã sửa ({n} thay đổi). Tệp chính sách chưa thay đổi.",
        "Showing a scenario with edited amounts ({n} changes). The policies file is unchanged.",
    ),
    "plan.save_button": ("Lưu vào tệp chính sách", "Save to the policies file"),
    "plan.save_help": (
        "Ghi các mức hỗ trợ và tham số đang sửa vào {path} (ghi an toàn, thay cả tệp).",
        "Write the edited amounts and parameters to {path} (atomic write, replaces the file).",
    ),
    "plan.reset_button": ("Bỏ các thay đổi", "Discard changes"),
    "plan.saved": ("Đã lưu tệp chính sách {path}.", "Saved the policies file {path}."),
    "plan.save_forbidden": (
        "Chỉ cán bộ (vai trò “cán bộ”) mới được lưu tệp chính sách.",
        "Only an officer (role “officer”) may save the policies file.",
    ),
    "plan.pupils_estimated": (
        "Số học sinh là số ước tính: dữ liệu không có tuổi thành viên, nên lấy số nhân khẩu × {share} học sinh/người "
        "(tham số “Số học sinh ước tính trên mỗi nhân khẩu”, chưa xác nhận).",
        "Pupil counts are estimates: the data has no member ages, so members × {share} pupils per person "
        "(parameter “Estimated pupils per household member”, unconfirmed).",
    ),
    "plan.pupils_from_column": ("Số học sinh lấy từ cột “pupils” của dữ liệu.", "Pupil counts come from the data's “pupils” column."),
    "plan.difficult_warning": (
        "Danh sách {n} xã đặc biệt khó khăn ({names}) là giả định minh họa, CHƯA được xác nhận (tệp {file}). "
        "Người dân tộc thiểu số thuộc hộ nghèo, cận nghèo ở các xã này đã được nhà nước đóng BHYT theo chính sách khác: "
        "được đếm riêng ở cột “Đã được hỗ trợ nơi khác” và không tính vào kinh phí BHYT.",
        "The list of {n} extremely difficult communes ({names}) is an illustrative assumption, NOT confirmed (file {file}). "
        "Ethnic-minority members of poor and near-poor households there already receive state-paid health insurance "
        "under another scheme: counted apart as “Already covered” and left out of the health-insurance budget.",
    ),
    "plan.difficult_missing": (
        "{n} xã trong dữ liệu không có trong danh sách xã đặc biệt khó khăn: coi như không thuộc diện.",
        "{n} communes of the data are not in the list of extremely difficult communes: treated as not listed.",
    ),
    "plan.recently_escaped_unknown": (
        "Dữ liệu chỉ có một năm: không xác định được hộ mới thoát nghèo (tín dụng hộ mới thoát nghèo = 0).",
        "The data has a single year: recently escaped households cannot be identified (their credit line is 0).",
    ),
    "plan.lending_note": (
        "Cho vay làm nhà ở và tín dụng ưu đãi là vốn cho vay tối đa (số hộ × mức vay tối đa), không phải chi ngân sách: tính riêng.",
        "Housing loans and preferential credit are maximum amounts lent (households × ceiling), not budget spending: shown apart.",
    ),
    "plan.no_amount_note": (
        "{n} chính sách chưa có mức tiền (học phí): chỉ hiện số đối tượng.",
        "{n} policies have no amount yet (tuition): only beneficiary counts are shown.",
    ),
    "plan.metric.grant": ("Kinh phí hỗ trợ (ngân sách)", "Support budget (grants)"),
    "plan.metric.grant_confirmed": ("trong đó mức đã xác nhận: {amount}", "of which confirmed amounts: {amount}"),
    "plan.metric.lending": ("Vốn cho vay tối đa (tính riêng)", "Maximum lending (apart)"),
    "plan.metric.covered": ("Người đã có BHYT nơi khác", "People already insured elsewhere"),
    "plan.metric.beneficiary_hh": ("Hộ nghèo và cận nghèo", "Poor and near-poor households"),
    "plan.filter_policy": ("Chính sách", "Policy"),
    "plan.total_row": ("Tổng cộng", "Total"),
    "plan.chart.budget_title": ("Kinh phí hỗ trợ theo xã, năm {year} (đồng)", "Support budget per commune, {year} (VND)"),
    "plan.chart.budget_axis": ("Kinh phí (đồng)", "Cost (VND)"),
    "plan.col.policy": ("Chính sách", "Policy"),
    "plan.col.policy_id": ("Mã chính sách", "Policy id"),
    "plan.col.legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "plan.col.groups": ("Đối tượng", "Target group"),
    "plan.col.kind": ("Loại hỗ trợ", "Kind"),
    "plan.col.unit": ("Đơn vị tính", "Unit"),
    "plan.col.period": ("Kỳ", "Period"),
    "plan.col.periods": ("Số kỳ/năm", "Periods per year"),
    "plan.col.unit_amount": ("Mức hỗ trợ (đồng)", "Unit amount (VND)"),
    "plan.col.amount_text": ("Mức hỗ trợ", "Unit amount"),
    "plan.col.formula": ("Công thức", "Formula"),
    "plan.col.state_share": ("Ngân sách nhà nước (%)", "State share (%)"),
    "plan.col.interest": ("Lãi suất (%/năm)", "Interest (%/year)"),
    "plan.col.confirmed": ("Mức tiền", "Amount status"),
    "plan.col.source": ("Nguồn", "Source"),
    "plan.col.commune_code": ("Mã xã", "Commune code"),
    "plan.col.households": ("Số hộ thuộc diện", "Eligible households"),
    "plan.col.people": ("Số người thuộc diện", "Eligible people"),
    "plan.col.units": ("Số đối tượng", "Beneficiaries"),
    "plan.col.already_covered": ("Đã được hỗ trợ nơi khác", "Already covered"),
    "plan.col.funded_units": ("Số đối tượng tính kinh phí", "Funded beneficiaries"),
    "plan.col.budget": ("Kinh phí (đồng)", "Cost (VND)"),
    "plan.col.budget_text": ("Kinh phí", "Cost"),
    "plan.col.grant_budget": ("Kinh phí hỗ trợ (đồng)", "Support budget (VND)"),
    "plan.col.grant_budget_confirmed": ("trong đó mức đã xác nhận (đồng)", "of which confirmed (VND)"),
    "plan.col.lending_volume": ("Vốn cho vay tối đa (đồng)", "Maximum lending (VND)"),
    "plan.col.policies_without_amount": ("Số chính sách chưa có mức tiền", "Policies without amount"),
    "plan.col.hi_already_covered": ("Người đã có BHYT nơi khác", "People insured elsewhere"),
    "plan.col.parameter": ("Tham số", "Parameter"),
    "plan.col.value": ("Giá trị", "Value"),
    "plan.col.param_unit": ("Đơn vị", "Unit"),
    "plan.col.estimated": ("Ước tính", "Estimated"),
    "plan.confirmed": ("Đã xác nhận", "Confirmed"),
    "plan.unconfirmed": ("Chưa xác nhận", "Unconfirmed"),
    "plan.amount_unknown": ("chưa xác nhận", "not confirmed"),
    "plan.yes": ("Có", "Yes"),
    "plan.no": ("Không", "No"),
    "plan.unit.household": ("hộ", "household"),
    "plan.unit.person": ("người", "person"),
    "plan.unit.pupil": ("học sinh", "pupil"),
    "plan.period.year": ("năm", "year"),
    "plan.period.month": ("tháng", "month"),
    "plan.period.once": ("một lần", "once"),
    "plan.kind.grant": ("Hỗ trợ bằng tiền", "Grant"),
    "plan.kind.exemption": ("Miễn, giảm", "Exemption"),
    "plan.kind.loan": ("Cho vay", "Loan"),
    "plan.kind.credit": ("Tín dụng ưu đãi", "Preferential credit"),
    "plan.group.poor": ("hộ nghèo", "poor households"),
    "plan.group.near_poor": ("hộ cận nghèo", "near-poor households"),
    "plan.group.recently_escaped": ("hộ mới thoát nghèo", "recently escaped households"),
    "plan.group.deprived": ("hộ thiếu hụt “{indicator}”", "households deprived in “{indicator}”"),
    "plan.group.except": ("trừ {groups}", "except {groups}"),
    "plan.group.rural": ("nông thôn", "rural"),
    "plan.group.urban": ("thành thị", "urban"),
    "plan.wi.intro": (
        "Chọn các can thiệp; hộ được phân loại lại bằng povlib theo chuẩn nghèo của năm và so với hiện trạng.",
        "Choose interventions; households are classified again with povlib under the year's standard and compared with the baseline.",
    ),
    "plan.wi.income_note_qd59": (
        "Theo {std}, đóng các thiếu hụt chỉ có thể chuyển hộ nghèo do thiếu hụt dịch vụ xã hội cơ bản thành "
        "hộ cận nghèo; không thể đưa hộ nghèo về thu nhập ra khỏi diện nghèo. Hiện có {income} trong {poor} hộ nghèo "
        "({pct}) là hộ nghèo về thu nhập: các hộ này cần hỗ trợ sinh kế, tăng thu nhập.",
        "Under the {std}, closing gaps can move households that are poor through deprivation to near-poor, but cannot "
        "lift income-poor households. {income} of the {poor} poor households ({pct}) are income-poor: they need "
        "livelihood and income support.",
    ),
    "plan.wi.income_note_nd07": (
        "Theo {std} không còn nhánh nghèo chỉ do thu nhập: hộ có thu nhập dưới chuẩn mà thiếu hụt dưới 3 chỉ số là "
        "hộ cận nghèo, nên đóng thiếu hụt có thể đưa hộ nghèo thành cận nghèo. Hộ vẫn ở diện cận nghèo vì thu nhập thấp.",
        "Under the {std} there is no income-only poor branch: households below the income line with fewer than 3 "
        "deprivations are near-poor, so closing gaps can move poor households to near-poor. They stay near-poor because of low income.",
    ),
    "plan.wi.hi": ("BHYT cho mọi thành viên của hộ thiếu hụt BHYT", "Health insurance for every member of deprived households"),
    "plan.wi.housing": ("Sửa, làm nhà cho N hộ thiếu hụt nhiều nhất của xã", "Fix the housing of the N most deprived households of a commune"),
    "plan.wi.housing_n": ("Số hộ mỗi xã (N)", "Households per commune (N)"),
    "plan.wi.water": ("Nước sinh hoạt hợp vệ sinh cho xã", "Clean water for a commune"),
    "plan.wi.latrine": ("Nhà tiêu hợp vệ sinh cho xã", "Hygienic latrines for a commune"),
    "plan.wi.info": ("Ti vi hoặc radio cho hộ thiếu tài sản tiếp cận thông tin", "A TV or radio for households deprived of information assets"),
    "plan.wi.communes": ("Xã áp dụng (để trống: tất cả các xã)", "Communes (empty: every commune)"),
    "plan.wi.unit_cost": ("Đơn giá (đồng/{unit})", "Unit cost (VND/{unit})"),
    "plan.wi.cost_unconfirmed": (
        "Đơn giá các can thiệp (trừ BHYT) là giả định minh họa, chưa xác nhận; có thể sửa ngay tại đây cho kịch bản.",
        "Unit costs of the interventions (except health insurance) are illustrative assumptions, unconfirmed; edit them here for the scenario.",
    ),
    "plan.wi.none": ("Chưa chọn can thiệp nào: kịch bản trùng với hiện trạng.", "No intervention chosen: the scenario equals the baseline."),
    "plan.wi.metric.poor": ("Hộ nghèo: hiện trạng → kịch bản", "Poor households: baseline → scenario"),
    "plan.wi.metric.near": ("Hộ cận nghèo: hiện trạng → kịch bản", "Near-poor households: baseline → scenario"),
    "plan.wi.metric.lifted": ("Số hộ thoát nghèo", "Households lifted out of poverty"),
    "plan.wi.metric.cost": ("Kinh phí can thiệp", "Cost of the interventions"),
    "plan.wi.metric.cost_per": ("Kinh phí / hộ thoát nghèo", "Cost per household lifted"),
    "plan.wi.chart_title": ("Tỷ lệ hộ nghèo theo xã: hiện trạng và kịch bản, năm {year}", "Poverty rate per commune: baseline and scenario, {year}"),
    "plan.wi.baseline": ("Hiện trạng", "Baseline"),
    "plan.wi.scenario": ("Kịch bản", "Scenario"),
    "plan.wi.col.poor_base": ("Hộ nghèo (hiện trạng)", "Poor (baseline)"),
    "plan.wi.col.poor_scen": ("Hộ nghèo (kịch bản)", "Poor (scenario)"),
    "plan.wi.col.poor_rate_base": ("Tỷ lệ nghèo (hiện trạng, %)", "Poverty rate (baseline, %)"),
    "plan.wi.col.poor_rate_scen": ("Tỷ lệ nghèo (kịch bản, %)", "Poverty rate (scenario, %)"),
    "plan.wi.col.near_poor_base": ("Hộ cận nghèo (hiện trạng)", "Near-poor (baseline)"),
    "plan.wi.col.near_poor_scen": ("Hộ cận nghèo (kịch bản)", "Near-poor (scenario)"),
    "plan.wi.col.near_poor_rate_base": ("Tỷ lệ cận nghèo (hiện trạng, %)", "Near-poverty rate (baseline, %)"),
    "plan.wi.col.near_poor_rate_scen": ("Tỷ lệ cận nghèo (kịch bản, %)", "Near-poverty rate (scenario, %)"),
    "plan.wi.col.income_poor_base": ("Trong đó nghèo về thu nhập", "of which income-poor"),
    "plan.wi.col.lifted": ("Số hộ thoát nghèo", "Households lifted"),
    "plan.wi.col.reached": ("Số hộ được hỗ trợ", "Households reached"),
    "plan.wi.col.cost": ("Kinh phí (đồng)", "Cost (VND)"),
    "plan.wi.col.cost_per_lifted": ("Kinh phí / hộ thoát nghèo (đồng)", "Cost per household lifted (VND)"),
    "plan.wi.col.intervention": ("Can thiệp", "Intervention"),
    "plan.wi.col.communes": ("Xã áp dụng", "Communes"),
    "plan.wi.col.units": ("Số đơn vị tính tiền", "Units paid for"),
    "plan.wi.col.unit_cost": ("Đơn giá (đồng)", "Unit cost (VND)"),
    "plan.wi.all_communes": ("tất cả", "all"),
    "plan.wi.run": ("Tính kịch bản", "Compute the scenario"),
    "plan.money_billion": ("{x} tỷ đồng", "{x} bn VND"),
    "plan.money_million": ("{x} triệu đồng", "{x} m VND"),
    "plan.wi.all_communes_placeholder": ("Tất cả các xã", "Every commune"),
    "plan.wi.hi_cost": ("Đơn giá: {amount}/người/năm (mệnh giá thẻ BHYT, theo tham số)", "Unit cost: {amount} per person per year (health-insurance premium, from the parameters)"),
    "plan.wi.metric.poor_after": ("Hộ nghèo sau can thiệp", "Poor households after"),
    "plan.wi.metric.near_after": ("Hộ cận nghèo sau can thiệp", "Near-poor households after"),
    "plan.wi.metric.from": ("từ {n} · {r0} → {r1}", "from {n} · {r0} → {r1}"),
    "plan.sheet.policies": ("Chính sách", "Policies"),
    "plan.sheet.parameters": ("Tham số", "Parameters"),
    "plan.sheet.detail": ("Theo xã và chính sách", "By commune and policy"),
    "plan.sheet.totals": ("Tổng hợp theo xã", "Totals per commune"),
    "plan.sheet.by_policy": ("Tổng hợp chính sách", "Totals per policy"),
    "plan.sheet.whatif": ("Kịch bản theo xã", "Scenario per commune"),
    "plan.sheet.interventions": ("Các can thiệp", "Interventions"),
    "plan.xlsx.title": ("KẾ HOẠCH HỖ TRỢ HỘ NGHÈO, HỘ CẬN NGHÈO – NĂM {year}", "SUPPORT PLAN FOR POOR AND NEAR-POOR HOUSEHOLDS – {year}"),
    "plan.xlsx.scope": ("Phạm vi: {scope}; chuẩn nghèo: {std}", "Scope: {scope}; poverty standard: {std}"),
    "plan.xlsx.units": ("Đơn vị tiền: đồng. Cho vay, tín dụng ưu đãi tính riêng, không cộng vào kinh phí hỗ trợ.",
                        "Money in VND. Loans and credit shown apart, not added to the support budget."),
    "plan.xlsx.scenario": ("Kịch bản: {name}", "Scenario: {name}"),
    "plan.download": ("Tải kế hoạch (.xlsx)", "Download the plan (.xlsx)"),
    "plan.cli.written": ("Đã ghi kế hoạch hỗ trợ năm {year} ({n} xã) vào {path}", "Wrote the {year} support plan ({n} communes) to {path}"),
    "plan.cli.help": ("lập kế hoạch hỗ trợ (đối tượng, kinh phí, kịch bản) và ghi ra tệp .xlsx",
                      "build the support plan (beneficiaries, cost, scenario) into an .xlsx file"),
    # === section: benchmarks ===
    # === section: security review (tests/test_security.py) ===
    "sec.unreadable": (
        "Không đọc được tệp {name}: tệp hỏng, rỗng hoặc không đúng định dạng {kind} ({detail}). "
        "Hãy mở tệp bằng Excel và lưu lại dưới dạng .xlsx, hoặc .csv (UTF-8).",
        "Cannot read the file {name}: it is damaged, empty or not a valid {kind} file ({detail}). "
        "Open it in Excel and save it again as .xlsx, or .csv (UTF-8).",
    ),
    "sec.file_error": ("Không đọc/ghi được tệp {name}: {detail}", "Cannot read/write the file {name}: {detail}"),
}


def has(key: str) -> bool:
    """Whether ``key`` is a known string."""
    return key in STRINGS


def t(key: str, lang: str = "vi", /, **kwargs) -> str:
    """Translate ``key`` into ``lang`` and fill ``{placeholders}`` from ``kwargs``.

    An unknown key raises ``KeyError``: a missing translation is a bug to see,
    not a label to guess.
    """
    vi, en = STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**kwargs) if kwargs else text


def fmt_int(n, lang: str = "vi") -> str:
    """Whole number with the locale's grouping: ``1.234.567`` (vi), ``1,234,567`` (en)."""
    if n is None or n != n:  # NaN
        return "–"
    return format_decimal(int(round(float(n))), locale=_LOCALE.get(lang, "vi_VN"))


def fmt_num(x, lang: str = "vi", digits: int = 2) -> str:
    """Decimal number with ``digits`` decimals: ``1.234,57`` (vi)."""
    if x is None or x != x:
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    return format_decimal(float(x), format=pattern, locale=_LOCALE.get(lang, "vi_VN"))


def fmt_pct(frac, lang: str = "vi", digits: int = 2) -> str:
    """A fraction as a percentage: ``0.1586 -> '15,86 %'`` (vi) or ``'15.86%'`` (en)."""
    if frac is None or frac != frac:
        return "–"
    dec = "." + "0" * digits if digits > 0 else ""
    pattern = f"#,##0{dec} %" if lang != "en" else f"#,##0{dec}%"
    return format_percent(float(frac), format=pattern, locale=_LOCALE.get(lang, "vi_VN"))


def fmt_points(delta_frac, lang: str = "vi", digits: int = 2) -> str:
    """A change of a rate in percentage points with its sign: ``-1,95 điểm %``."""
    if delta_frac is None or delta_frac != delta_frac:
        return "–"
    sign = "+" if delta_frac > 0 else ("−" if delta_frac < 0 else "±")
    return f"{sign}{fmt_num(abs(delta_frac) * 100, lang, digits)} {t('unit.points', lang)}"


def fmt_vnd(amount, lang: str = "vi") -> str:
    """Money in VND: ``804.600 đồng`` (vi), ``804,600 VND`` (en)."""
    return f"{fmt_int(amount, lang)} {t('unit.vnd', lang)}"
