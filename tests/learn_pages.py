"""Composed page sets for the learning tests: one site's chrome (modelled on the real kinds: a
title line, a breadcrumb, an uploader card with counters, a `收藏《title》` line, a notice, a
label above the text, a related list and a footer) around bodies written for these tests."""

from __future__ import annotations

import random

SENTENCES = [
    "本单位坚持把职工培训作为一项长期任务来抓,每年年初制定培训计划。",
    "各部门要结合岗位实际,明确培训内容、培训方式和考核办法。",
    "新入职人员须参加不少于四十学时的岗前培训,考核合格后方可上岗。",
    "培训结束后,由人事部门统一组织考试,成绩记入个人档案。",
    "仓库物品实行分类存放,做到账物相符、标识清楚、取用方便。",
    "每月末由仓库管理员会同财务人员进行一次盘点,并填写盘点表。",
    "发现物品短缺或损坏的,应当及时查明原因并书面报告。",
    "车辆出车前,驾驶员应检查灯光、制动、轮胎等安全部件。",
    "长途运输途中每行驶两小时须停车休息,严禁疲劳驾驶。",
    "调度员负责掌握车辆动态,遇恶劣天气及时发布预警信息。",
    "会议室使用实行预约登记制度,使用完毕后应恢复原状。",
    "办公用品由行政部统一采购,各部门按月提交领用申请。",
    "档案室应保持干燥通风,重要档案须异地备份保存。",
    "借阅档案须经部门负责人签字同意,并在规定期限内归还。",
    "校园文化节期间,各班级围绕读书主题开展形式多样的活动。",
    "图书馆延长开放时间,方便同学们在课余时间借阅图书。",
    "志愿者服务队定期走进社区,为老年人提供生活帮助。",
    "食堂实行明码标价,饭菜质量接受师生的共同监督。",
    "垃圾分类投放点设置在每栋楼的入口处,由专人负责管理。",
    "节约用水从点滴做起,发现跑冒滴漏要及时报修。",
    "项目负责人每周召开一次进度例会,协调解决存在的问题。",
    "施工现场必须佩戴安全帽,高处作业须系好安全带。",
    "材料进场前应查验合格证明,不合格材料一律退场。",
    "工程竣工后,由建设单位组织设计、施工、监理单位共同验收。",
    "客户来访时,接待人员应主动问候,引导客户到接待室就座。",
    "对客户提出的意见建议,应当在三个工作日内给予答复。",
    "财务报销须附原始票据,经部门负责人和分管领导审核签字。",
    "差旅费按照规定标准执行,超出部分由个人承担。",
    "信息系统账号实行实名管理,密码每九十天至少更换一次。",
    "不得在办公计算机上安装来源不明的软件,防止病毒传播。",
    "值班人员应坚守岗位,做好值班记录,遇到突发情况立即上报。",
    "节假日期间,各部门要安排专人值守,确保通讯畅通。",
]
TITLES = [
    "职工教育培训管理办法",
    "仓库物资盘点管理制度",
    "运输车辆安全管理规定",
    "行政办公用品领用办法",
    "档案借阅与保管制度",
    "校园读书文化节活动方案",
    "社区志愿服务工作总结",
    "建设工程质量验收细则",
    "客户接待工作规范",
    "财务报销审批流程说明",
    "信息系统安全管理规定",
    "节假日值班安排通知",
]
NAMES = ["jane88", "王老师", "hr_office", "lixiao", "doc_share", "zhang_w", "清风", "k2024"]


def body(seed: int, paragraphs: int = 5) -> list[str]:
    """Paragraphs of composed sentences, different for each seed."""
    rng = random.Random(seed)
    return ["".join(rng.sample(SENTENCES, rng.randint(2, 3))) for _ in range(paragraphs)]


def doc_page(i: int, body_lines: list[str] | None = None, title: str | None = None) -> str:
    """Page `i` of a document host, as a text dump: chrome at the top and the bottom."""
    rng = random.Random(1000 + i)
    title = title or TITLES[i % len(TITLES)]
    related = [f"{rng.choice(TITLES)[:4]}{rng.choice(TITLES)[-4:]}" for _ in range(3)]
    lines = [
        title,
        "文库首页 > 办公文档 > 规章制度",
        f"上传人：{NAMES[i % len(NAMES)]}",  # full-width, as browsers show it
        f"浏览：{rng.randint(10, 9999)}次 下载：{rng.randint(1, 500)}次",
        f"收藏《{title}》到我的文库",
        "温馨提示:本站文档均由网友上传,仅供在线预览",
        "",
        "文档正文",
        "",
        *(body_lines if body_lines is not None else body(i)),
        "",
        "更多相关文档",
        *related,
        "关于本站 | 联系我们 | 免责声明",
    ]
    return "\n".join(lines) + "\n"


CHROME = [
    "文库首页 > 办公文档 > 规章制度",
    "上传人:",
    "浏览:",
    "收藏《",
    "温馨提示:本站文档均由网友上传",
    "文档正文",
    "更多相关文档",
    "关于本站 | 联系我们 | 免责声明",
]

SPEECH_OPENINGS = ["同志们:", "各位领导、各位来宾:"]
SPEECH_HEADINGS = ["一、统一思想,提高认识", "二、突出重点,狠抓落实", "三、加强领导,强化保障"]


def speech(seed: int) -> list[str]:
    """A composed speech: a shared opening, shared section headings and closing, own text."""
    rng = random.Random(seed)
    lines = [SPEECH_OPENINGS[seed % 2]]
    for heading in SPEECH_HEADINGS:
        lines.append(heading)
        lines += ["".join(rng.sample(SENTENCES, 2)) for _ in range(2)]
    lines.append("谢谢大家!")
    return lines


def speech_page(i: int, body_lines: list[str]) -> str:
    """A page of a speech site (范文 kind): its own chrome around a speech."""
    rng = random.Random(2000 + i)
    return "\n".join(
        [
            f"讲话稿精选第{i + 1}篇",
            f"发布时间:2024-0{1 + i % 9}-1{i % 10} 阅读:{rng.randint(100, 999)}",
            "本文已收录至讲话稿专栏",
            "",
            *body_lines,
            "",
            "上一篇下一篇请见专栏目录",
            "讲话稿专栏 版权所有",
        ]
    )


def short_frame_page(i: int, chrome: str) -> str:
    """A page whose whole frame is one chrome line, above a title and a list of short items of
    its own: most of its short lines are the document's."""
    rng = random.Random(3000 + i)
    items = [f"{k + 1}. {rng.choice(TITLES)[:4]}{rng.choice(SENTENCES)[2:9]}" for k in range(14)]
    return "\n".join([chrome, TITLES[i % len(TITLES)], *items]) + "\n"


def titled_frame_page(i: int) -> str:
    """A page whose frame is its title above a fixed line, then the document."""
    return "\n".join([TITLES[i % len(TITLES)], "", "资料合集下载", "", *body(i)]) + "\n"


def html_page(i: int) -> str:
    """An HTML page of a third site: a tips box and a footer node around composed text."""
    title = TITLES[i % len(TITLES)]
    paragraphs = "".join(f"<p>{p}</p>" for p in body(500 + i, 4))
    return (
        f"<html><head><title>{title}</title></head><body>"
        f'<div class="doc-tips"><span>本资料由会员上传</span><span>共{3 + i}页</span></div>'
        f'<div class="content"><h1>{title}</h1>{paragraphs}</div>'
        '<div class="site-links">网站地图 帮助中心 意见反馈</div>'
        "</body></html>"
    )
