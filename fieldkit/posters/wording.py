"""What the printed sheets say to residents, per language (content, not interface text).

Only checked facts: PAPI as papi.org.vn describes it (random, face-to-face, on tablets; the eight
dimensions since 2018) and Law 10/2022/QH15 on grassroots democracy; no claim about how respondents are
drawn or what anonymity is promised, for want of a published source.
A translator adds a language by adding a dict with the same keys.
"""

POSTER = {
    "vi": {
        "authority": "ỦY BAN NHÂN DÂN {commune}",
        "title": "KHẢO SÁT PAPI",
        "subtitle": "Chỉ số Hiệu quả Quản trị và Hành chính công cấp tỉnh",
        "to_residents": "Kính gửi bà con {group}",
        "lead": (
            "Đoàn khảo sát PAPI có thể đến hỏi ý kiến người dân về cách chính quyền phục vụ. "
            "Ý kiến thật của bà con giúp xã, tỉnh làm tốt hơn."
        ),
        "points": (
            "Người được hỏi là người từ 18 đến 70 tuổi, được chọn ngẫu nhiên.",
            "Điều tra viên hỏi trực tiếp, ghi câu trả lời vào máy tính bảng.",
            "Hãy trả lời đúng điều mình đã thấy, đã trải qua.",
            "Câu hỏi về 8 lĩnh vực: tham gia của người dân; công khai, minh bạch; trách nhiệm "
            "giải trình; kiểm soát tham nhũng; thủ tục hành chính; dịch vụ công; môi trường; "
            "quản trị điện tử.",
        ),
        "scan": "Quét mã QR để đọc thêm",
        "contact": "Hỏi thêm, liên hệ:",
        "no_contact": "Cán bộ Ủy ban nhân dân xã",
        "posted_at": "Niêm yết tại:",
        "meeting": "Lịch họp:",
        "law": "Luật Thực hiện dân chủ ở cơ sở (số 10/2022/QH15): Dân biết, dân bàn, dân làm, "
        "dân kiểm tra, dân giám sát, dân thụ hưởng.",
        "code": "Mã áp phích",
        "listen": "Nghe đọc",
    },
    "en": {
        "authority": "PEOPLE'S COMMITTEE OF {commune}",
        "title": "THE PAPI SURVEY",
        "subtitle": "Provincial Governance and Public Administration Performance Index",
        "to_residents": "To the residents of {group}",
        "lead": (
            "The PAPI survey team may come to ask residents how the authorities serve them. "
            "Your honest answers help the commune and the province do better."
        ),
        "points": (
            "People aged 18 to 70 are chosen at random to answer.",
            "An interviewer asks the questions face to face and records the answers on a tablet.",
            "Please answer with what you have seen and lived yourself.",
            "The questions cover 8 areas: participation; transparency; accountability; control of "
            "corruption; administrative procedures; public services; environment; e-governance.",
        ),
        "scan": "Scan the QR code to read more",
        "contact": "For questions, contact:",
        "no_contact": "An officer of the commune People's Committee",
        "posted_at": "Posted at:",
        "meeting": "Meetings:",
        "law": "Law on Implementing Grassroots Democracy (No. 10/2022/QH15): people know, discuss, "
        "do, check, supervise and benefit.",
        "code": "Poster code",
        "listen": "Listen",
    },
}

ATTENDANCE = {
    "title": "DANH SÁCH NGƯỜI DÂN THAM DỰ",
    "authority": "ỦY BAN NHÂN DÂN {commune}",
    "motto": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "motto2": "Độc lập - Tự do - Hạnh phúc",
    "group": "Thôn, bản, tổ dân phố: {group}",
    "place": "Địa điểm: {place}",
    "date": "Ngày: {date}",
    "topic": "Nội dung: {topic}",
    "columns": ("STT", "Họ và tên", "Giới tính", "Dân tộc", "Ký tên"),
    "signer": "NGƯỜI LẬP DANH SÁCH",
    "signer_hint": "(Ký, ghi rõ họ tên)",
    "page": "Trang {page}",
}

SCRIPT = {
    "authority": "ĐÀI TRUYỀN THANH {commune}",
    "heading": "BÀI PHÁT THANH",
    "duration": "Thời lượng đọc: khoảng 2–3 phút ({words} chữ)",
    "contact": "Mọi thắc mắc, bà con liên hệ {officer}, số điện thoại {phone}.",
    "contact_no_phone": "Mọi thắc mắc, bà con liên hệ {officer} tại Ủy ban nhân dân xã.",
}
