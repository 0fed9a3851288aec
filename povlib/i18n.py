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
    # === section: deprivations page ===
    # === section: trends page ===
    # === section: households page ===
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
    # === section: data intake (pages/data.py, povlib/schema.py, io.py, store.py) ===
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
    "report.sum.start": ("Số hộ {s} đầu năm", "{s} households, start of year"),
    "report.sum.flows": ("Diễn biến hộ {s} trong năm", "Changes in the year ({s})"),
    "report.sum.end": ("Số hộ {s} cuối năm", "{s} households, end of year"),
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
        "Cân đối: cuối năm = đầu năm − thoát + tái + phát sinh + hộ mới tách/chuyển đến − hộ chuyển đi/không còn "
        "(mỗi dòng tính ở cấp của dòng đó: hộ chuyển giữa hai xã trong huyện không làm thay đổi dòng tổng).",
        "Balance: end = start − escaped + re-entered + newly arising + formed/moved in − moved out/dissolved "
        "(each row at its own level: a move between two communes of the district does not change the total)."),
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
    "report.note.masked": ("Họ tên chủ hộ đã được ẩn bớt (vai trò hiện tại không được xem thông tin cá nhân).",
                           "Household heads' names are masked (the current role may not see personal data)."),
    # === section: planning (pages/planning.py, povlib/policy.py) ===
    # === section: benchmarks ===
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
