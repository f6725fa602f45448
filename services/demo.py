"""A demo district (Binhai New Area), so a newcomer can call the API at once."""

from __future__ import annotations

from datetime import date

from domain.values import Actor, AgencyKind, Certificate, Role
from services.application import Liandong
from services.handlers.admin import AdminHandlers

REGION = "120116"  # 滨海新区
ADMIN = Actor(officer_id="demo-admin", agency_code="", roles=frozenset({Role.ADMIN.value}))
CERTIFICATE_VALID_UNTIL = date(2030, 12, 31)

AGENCIES = [
    ("tj-bh-qzf", "滨海新区人民政府", AgencyKind.DISTRICT_GOVERNMENT, None),
    ("tj-bh-yjj", "滨海新区应急管理局", AgencyKind.DISTRICT_BUREAU, "tj-bh-qzf"),
    ("tj-bh-yjj-fzk", "滨海新区应急管理局法制科", AgencyKind.LEGAL_DEPARTMENT, "tj-bh-yjj"),
    ("tj-bh-yjj-zfs", "滨海新区应急管理局执法室", AgencyKind.BUREAU_OFFICE, "tj-bh-yjj"),
    ("tj-bh-zfzd", "滨海新区应急管理综合行政执法支队", AgencyKind.DETACHMENT, "tj-bh-yjj"),
    ("tj-bh-zfzd-jcs", "执法支队监察室", AgencyKind.DETACHMENT_OFFICE, "tj-bh-zfzd"),
    ("tj-bh-zfzd-jds", "执法支队执法监督室", AgencyKind.SUPERVISION_OFFICE, "tj-bh-zfzd"),
    ("tj-bh-zt-dd", "中塘镇应急管理综合执法大队", AgencyKind.BRIGADE, "tj-bh-zfzd"),
    ("tj-bh-tp-dd", "太平镇应急管理综合执法大队", AgencyKind.BRIGADE, "tj-bh-zfzd"),
    (
        "tj-bh-yjj-lxb",
        "滨海新区应急管理局联席会议办公室",
        AgencyKind.JOINT_CONFERENCE_OFFICE,
        "tj-bh-yjj",
    ),
    ("tj-bh-scjg", "滨海新区市场监督管理局", AgencyKind.FUNCTIONAL_DEPARTMENT, "tj-bh-qzf"),
    ("tj-bh-gaj", "天津市公安局滨海分局", AgencyKind.PUBLIC_SECURITY, None),
    ("tj-bh-jcy", "天津市滨海新区人民检察院", AgencyKind.PROCURATORATE, None),
    ("tj-yjj", "天津市应急管理局", AgencyKind.CITY_BUREAU, None),
    ("tj-yjj-fgc", "天津市应急管理局政策法规处", AgencyKind.LEGAL_DEPARTMENT, "tj-yjj"),
    # The city-wide joint conference's office (seed 001 §三(一)), acting in the bureau's name.
    (
        "tj-yjj-lxb",
        "天津市应急管理行政执法联席会议办公室",
        AgencyKind.JOINT_CONFERENCE_OFFICE,
        "tj-yjj",
    ),
    ("tj-xq-yjj", "西青区应急管理局", AgencyKind.DISTRICT_BUREAU, None),
    ("tj-xq-gaj", "天津市公安局西青分局", AgencyKind.PUBLIC_SECURITY, None),
]
# The city and a neighbouring district, for cross-region referrals and their disputes.
REGIONS = {
    "tj-yjj": "120000",
    "tj-yjj-fgc": "120000",
    "tj-yjj-lxb": "120000",
    "tj-xq-yjj": "120111",
    "tj-xq-gaj": "120111",
}

# (id, name, agency, roles, holds an enforcement certificate)
OFFICERS = [
    ("zhao-qiang", "赵强", "tj-bh-yjj", [Role.DIRECTOR], True),
    ("qian-min", "钱敏", "tj-bh-yjj", [Role.DEPUTY_DIRECTOR], True),
    ("sun-li", "孙丽", "tj-bh-yjj-fzk", [Role.LEGAL_HEAD], True),
    ("li-na", "李娜", "tj-bh-yjj-fzk", [Role.LEGAL_REVIEWER], True),
    ("zhou-jun", "周军", "tj-bh-yjj-zfs", [Role.UNIT_HEAD, Role.OFFICER], True),
    ("wang-fang", "王芳", "tj-bh-yjj-zfs", [Role.OFFICER], True),
    ("wu-gang", "吴刚", "tj-bh-yjj-zfs", [Role.OFFICER], True),
    ("zheng-hua", "郑华", "tj-bh-zfzd", [Role.UNIT_HEAD, Role.OFFICER], True),
    ("feng-tao", "冯涛", "tj-bh-zfzd-jcs", [Role.UNIT_HEAD, Role.OFFICER], True),
    ("chen-jie", "陈杰", "tj-bh-zfzd-jcs", [Role.OFFICER], True),
    ("chu-yan", "褚燕", "tj-bh-zt-dd", [Role.UNIT_HEAD, Role.OFFICER], True),
    ("wei-dong", "卫东", "tj-bh-zt-dd", [Role.DEPUTY_DIRECTOR], False),
    ("jiang-hai", "蒋海", "tj-bh-zt-dd", [Role.OFFICER], True),
    ("shen-bo", "沈波", "tj-bh-tp-dd", [Role.UNIT_HEAD, Role.OFFICER], True),
    ("han-mei", "韩梅", "tj-bh-tp-dd", [Role.DEPUTY_DIRECTOR], False),
    ("yang-lei", "杨磊", "tj-bh-tp-dd", [Role.OFFICER], True),
    ("zhu-xia", "朱霞", "tj-bh-scjg", [Role.OFFICER, Role.LIAISON], True),
    ("lu-yu", "鲁宇", "tj-bh-scjg", [Role.DIRECTOR], True),
    ("ma-jun", "马骏", "tj-bh-yjj-lxb", [Role.UNIT_HEAD, Role.LIAISON], False),
    ("gao-yuan", "高远", "tj-bh-qzf", [Role.DIRECTOR], False),
    ("tang-ning", "唐宁", "tj-yjj-fgc", [Role.LEGAL_HEAD], False),
    ("liu-yang", "刘洋", "tj-yjj", [Role.DIRECTOR], False),
    ("dong-xin", "董欣", "tj-yjj-lxb", [Role.UNIT_HEAD, Role.LIAISON], False),
    ("lin-feng", "林峰", "tj-xq-yjj", [Role.DIRECTOR, Role.OFFICER], True),
    ("qin-song", "秦松", "tj-bh-gaj", [Role.OFFICER, Role.LIAISON], False),
    ("yue-ming", "岳明", "tj-bh-gaj", [Role.DIRECTOR], False),
    ("song-yu", "宋宇", "tj-xq-gaj", [Role.DIRECTOR, Role.LIAISON], False),
    ("xu-ping", "许平", "tj-bh-jcy", [Role.SUPERVISOR], False),
    ("he-jing", "何静", "tj-bh-qzf", [Role.SUPERVISOR], False),
    # The detachment's deputy head and its supervision office, the town's head (seed 004 §三, §四).
    ("tian-yu", "田宇", "tj-bh-zfzd", [Role.DEPUTY_DIRECTOR], True),
    ("bai-lu", "白露", "tj-bh-zfzd-jds", [Role.UNIT_HEAD], True),
    ("kong-wen", "孔文", "tj-bh-zt-dd", [Role.DIRECTOR], False),
]


def is_seeded(app: Liandong) -> bool:
    return app.directory.agency(AGENCIES[0][0]) is not None


def seed(app: Liandong) -> None:
    """Registers the demo district; does nothing if it is there already."""
    if is_seeded(app):
        return
    for code, name, kind, parent in AGENCIES:
        AdminHandlers(app).register_agency(
            ADMIN,
            code=code,
            name=name,
            kind=kind,
            parent_code=parent,
            region=REGIONS.get(code, REGION),
        )
    for number, (officer, name, agency, roles, certified) in enumerate(OFFICERS, start=1):
        certificate = (
            Certificate(f"津应急执{number:05d}", CERTIFICATE_VALID_UNTIL) if certified else None
        )
        AdminHandlers(app).register_officer(
            ADMIN,
            officer=officer,
            name=name,
            agency_code=agency,
            roles=[r.value for r in roles],
            certificate=certificate,
        )
