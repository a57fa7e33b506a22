"""PII detection and redaction: each kind, checksums, and the traps that must stay untouched."""

from __future__ import annotations

import pytest

from guardrails.pii import PiiKind, detect_pii, pii_safe_for_log, redact
from guardrails.pii_detectors import luhn_ok, valid_id15, valid_id18

# GB 11643's own worked example: weights 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2 over
# 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 sum to 167; 167 mod 11 = 2 -> check character "X".
VALID_ID = "11010519491231002X"

VALID_ID15 = "110105491231002"  # old format of the example: born 1949-12-31


def kinds(text: str) -> list[str]:
    return [span.kind.value for span in detect_pii(text)]


def test_worked_example_checksum_by_hand() -> None:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(VALID_ID[:17], weights, strict=True))
    assert total == 167
    assert total % 11 == 2  # index 2 of "10X98765432" is "X"
    assert valid_id18(VALID_ID)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        (VALID_ID, True),
        (VALID_ID.lower(), True),
        ("110105194912310021", False),  # wrong check digit
        ("11010519491331002X", False),  # month 13
        ("110105194902300020", False),  # 30 February
        ("440304198506123412", True),
        ("310115199003071239", True),
        ("310115199003071238", False),
    ],
)
def test_id18_checksum_and_date(number: str, valid: bool) -> None:
    assert valid_id18(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [(VALID_ID15, True), ("110105491331002", False), ("110105490230002", False)],
)
def test_id15_needs_a_real_birth_date(number: str, valid: bool) -> None:
    assert valid_id15(number) is valid


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4111111111111111", True),
        ("5500000000000004", True),
        ("6250941006528599", True),
        ("4111111111111112", False),
        ("6222021234567890", False),
    ],
)
def test_luhn(number: str, valid: bool) -> None:
    assert luhn_ok(number) is valid


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (f"我的身份证号是{VALID_ID}，请帮我查一下", "ID_NUMBER", VALID_ID),
        ("身份证 440304 19850612 3412", "ID_NUMBER", "440304 19850612 3412"),
        (f"老身份证{VALID_ID15}还能用吗", "ID_NUMBER", VALID_ID15),
        ("我的手机是13812345678", "MOBILE", "13812345678"),
        ("电话 +86 139-1234-5678 联系我", "MOBILE", "+86 139-1234-5678"),
        ("call me on 186 1234 5678", "MOBILE", "186 1234 5678"),
        ("手机：１３８１２３４５６７８", "MOBILE", "１３８１２３４５６７８"),
        ("家里电话010-62345678", "LANDLINE", "010-62345678"),
        ("座机(0755)86123456", "LANDLINE", "(0755)86123456"),
        ("office 0571 8765 4321", "LANDLINE", "0571 8765 4321"),
        ("卡号6250941006528599，扣款失败", "BANK_CARD", "6250941006528599"),
        ("card 4539 1488 0343 6467 please", "BANK_CARD", "4539 1488 0343 6467"),
        ("邮箱 zhang.wei@example.com", "EMAIL", "zhang.wei@example.com"),
        ("my email is Jo_Smith+hm@mail.example.org", "EMAIL", "Jo_Smith+hm@mail.example.org"),
        ("社保卡号：123456789012", "INSURANCE_CARD", "123456789012"),
        ("医保卡号是 A1234567", "INSURANCE_CARD", "A1234567"),
        ("病历号 MZ20240315001", "MEDICAL_RECORD", "MZ20240315001"),
        ("住院号：2024031500", "MEDICAL_RECORD", "2024031500"),
        ("My MRN is 00123456", "MEDICAL_RECORD", "00123456"),
        ("我叫张伟，今年60岁", "NAME", "张伟"),
        ("我是李秀英", "NAME", "李秀英"),
        ("我叫王秀兰今年60岁", "NAME", "王秀兰"),
        ("患者姓名：欧阳娜娜", "NAME", "欧阳娜娜"),
        ("我妈叫刘桂芳，她血糖高", "NAME", "刘桂芳"),
        ("我叫張偉", "NAME", "張偉"),
        ("Hi, my name is John Smith and I have diabetes", "NAME", "John Smith"),
        (
            "住在北京市朝阳区建国路88号3号楼2单元501室",
            "ADDRESS",
            "北京市朝阳区建国路88号3号楼2单元501室",
        ),
        ("地址：广东省广州市天河区体育西路1号", "ADDRESS", "广东省广州市天河区体育西路1号"),
        ("我家在阳光花园3栋2单元501室", "ADDRESS", "阳光花园3栋2单元501室"),
        ("石家庄市长安区中山东路100号", "ADDRESS", "石家庄市长安区中山东路100号"),
        ("I live at 221 Baker Street, Apt 4B", "ADDRESS", "221 Baker Street, Apt 4B"),
    ],
)
def test_detects_each_kind(text: str, kind: str, value: str) -> None:
    spans = detect_pii(text)
    assert [(s.kind.value, s.value) for s in spans] == [(kind, value)]
    assert text[spans[0].start : spans[0].end] == value


@pytest.mark.parametrize(
    "text",
    [
        "我血压140/90，心率78",
        "空腹血糖7.8 mmol/L，餐后2小时11.2",
        "2024-03-15测的血压，2024年3月15日复查",
        "这次住院花了100,000元，医保报销了60%",
        "治疗费用10万，月收入5000",
        "我今年52岁，父亲78岁",
        "订单号 6250941006528599 还没发货",
        "快递单号 13812345678",
        "发票号码 110105491231002",
        "我是高血压患者",
        "我是糖尿病人，想问饮食",
        "我是程序员，经常熬夜",
        "我是张医生的病人",
        "我是王女士",
        "我是江苏人",
        "我是温州的",
        "I am a nurse and my BP is 135/85",
        "my name is not important, my sugar is 9.1",
        "每天走路30分钟，一周5次",
        "体重从80公斤降到75公斤",
        "HbA1c 7.2%, LDL-C 3.4 mmol/L",
        "时间戳 1700000000000",
        "请问社区医院在哪里",
    ],
)
def test_false_positive_traps(text: str) -> None:
    assert detect_pii(text) == []


def test_id_number_is_not_also_a_card_or_phone() -> None:
    assert kinds(f"{VALID_ID} / 440304198506123412") == ["ID_NUMBER", "ID_NUMBER"]


def test_redact_uses_chinese_placeholders_for_chinese_text() -> None:
    result = redact(f"我叫张伟，身份证{VALID_ID}，手机13812345678，住在北京市朝阳区建国路88号")
    assert result.text == "我叫[姓名]，身份证[身份证号]，手机[手机号]，住在[地址]"
    assert [s.kind for s in result.spans] == [
        PiiKind.NAME,
        PiiKind.ID_NUMBER,
        PiiKind.MOBILE,
        PiiKind.ADDRESS,
    ]


def test_redact_uses_english_placeholders_for_english_text() -> None:
    result = redact("My name is John Smith, email john@example.com, phone 13812345678")
    assert result.text == "My name is [NAME], email [EMAIL], phone [PHONE]"


def test_redact_keep_leaves_chosen_kinds() -> None:
    result = redact("我叫张伟，手机13812345678", keep={"MOBILE"})
    assert result.text == "我叫[姓名]，手机13812345678"
    assert [s.kind.value for s in result.spans] == ["NAME"]


def test_redact_without_pii_returns_text_unchanged() -> None:
    text = "我血压140/90，需要调整饮食吗？"
    assert redact(text).text == text
    assert redact("").spans == []


def test_log_helper_never_carries_the_value() -> None:
    line = pii_safe_for_log(f"user 13812345678 sent id {VALID_ID}")
    assert "13812345678" not in line
    assert VALID_ID not in line
    assert line == "user [PHONE] sent id [ID_NUMBER]"


@pytest.mark.parametrize(
    "text",
    [
        "我叫了救护车",
        "我叫车去医院",
        "我是周末才有空",
        "我是马上要做手术的人",
        "我是高先生",
        "我是李",
    ],
)
def test_self_introduction_lookalikes_are_not_names(text: str) -> None:
    assert detect_pii(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("身份证号110105194912310021", "ID_NUMBER"),  # wrong check digit: still an ID
        ("我的身份证是 11010519900307123X", "ID_NUMBER"),
        ("卡号6222 0212 3456 7890 123", "BANK_CARD"),  # fails Luhn: still a card number
        ("my card is 4111111111111112", "BANK_CARD"),
        ("电话13912345678", "MOBILE"),
    ],
)
def test_identifier_shaped_digit_runs_are_redacted_regardless_of_checksum(
    text: str, kind: str
) -> None:
    spans = detect_pii(text)
    assert [s.kind.value for s in spans] == [kind]
    digits = "".join(ch for ch in spans[0].value if ch.isdigit())
    assert digits not in redact(text).text
