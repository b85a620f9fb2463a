"""The content-region model: its features, its vocabulary, its decisions, its titles, and what a
pack can tell it."""

from pathlib import Path

import pytest

from cleaner import Cleaner
from cleaner.describe.detect import host_of, registrable_domain
from cleaner.describe.metadata import clean_title
from cleaner.describe.title import slug_title
from cleaner.region.features import LOCAL, guarded, main_run, read_lines, sentences, split_lines
from cleaner.region.title import fold, host_names, names_site, slug_words
from cleaner.rulebook.load import compile_pack, pack_from_bytes

MODEL = Cleaner().region
COL = {name: i for i, name in enumerate(LOCAL)}


def lines_of(text: str):
    lines = split_lines(text)
    read_lines(lines, MODEL.vocabulary.coverage([line.text for line in lines]))
    return lines


def shape(text: str, name: str) -> float:
    (line,) = lines_of(text)
    return line.shape[COL[name]]


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("今天开会。明天出发。", "sentences", 2 / 3),
        ("Good morning. It is a great day.", "sentences", 2 / 3),
        ("一、统一思想,提高认识", "heading", 1.0),
        ("1.0  序言", "heading", 1.0),
        ("第三章 总则", "heading", 1.0),
        ("4-5 страниц.", "heading", 0.0),
        ("同志们:", "ends_colon", 1.0),
        ("尊敬的各位领导、各位来宾:", "salutation", 1.0),
        ("大家下午好!", "salutation", 1.0),
        ("Добрый вечер, коллеги!", "salutation", 1.0),
        ("Buenas tardes a todos.", "salutation", 1.0),
        ("大家都很好。", "salutation", 0.0),
        ("发布时间:2022-11-22 12:52:21", "date", 1.0),
        ("Publicado: 22 de mayo de 2016", "date", 1.0),
        ("文档评论(0)", "counter", 1.0),
        ("claves-para-elaborar-monografias", "slug", 1.0),
        ("热点 >其他文案 >", "separators", 0.5),
        ("COMO HACER UNA MONGRAFIA", "upper", 1.0),
    ],
)
def test_shape_features(text, name, value):
    assert shape(text, name) == pytest.approx(value)


def test_full_width_forms_read_as_ascii():
    assert shape("同志们:", "ends_colon") == shape("同志们:", "ends_colon") == 1.0


def test_vocabulary_folds_traditional_case_and_width_and_matches_whole_words():
    (hant, wide, keywords, upper) = MODEL.vocabulary.coverage(
        ["會員登錄", "会员登录!", "Keywords", "UPLOADED BY someone"]
    )
    assert hant.shares.get("account", 0) > 0.9 and wide.shares.get("account", 0) > 0.5
    assert not keywords.shares  # `words` is a meta word; it is not in `keywords`
    assert upper.shares.get("strong", 0) > 0


def test_vocabulary_patterns_are_found_where_one_matches_in_either_case():
    slide, shouted, pager, count, prose = MODEL.vocabulary.coverage(
        ["Слайд 12", "СЛАЙД 12", "12 / 40", "精选范文5篇", "会议讨论了第12页的内容。"]
    )
    assert slide == shouted == pager and slide.shares == {"slides": 1.0}
    assert count.shares.get("intro", 0) > 0.3
    assert not prose.shares


def test_the_vocabulary_of_lines_read_before_is_kept_up_to_its_bound(monkeypatch):
    from cleaner.region import vocabulary
    from cleaner.region.vocabulary import Vocabulary

    fresh = Vocabulary(Path(MODEL.vocabulary.path), Path(MODEL.vocabulary._traditional))
    monkeypatch.setattr(vocabulary, "KEPT_LINES", 3)
    lines = ["会员登录", "立即下载", "正文的一句话。", "Uploaded by someone", "会员登录"]
    first = fresh.coverage(lines)
    assert list(fresh._local.lines) == ["立即下载", "正文的一句话。", "Uploaded by someone"]
    assert fresh.coverage(lines[::-1]) == first[::-1] == MODEL.vocabulary.coverage(lines[::-1])
    assert list(fresh._local.lines) == ["正文的一句话。", "Uploaded by someone", "会员登录"]
    assert first[0] == first[4] and first[0].shares.get("account", 0) > 0.9
    fresh.forget()
    assert not fresh._local.lines
    assert fresh.coverage(lines) == first


def test_a_flattened_copy_of_lines_is_a_repeat_and_the_lines_are_not():
    lines = lines_of(
        "Руководитель семинара:\nд.э.н., проф. Е.Ю. Дорохина\n"
        "Руководитель семинара:д.э.н., проф. Е.Ю. Дорохина"
    )
    assert [line.flat for line in lines] == [False, False, True]


def test_a_flattened_copy_is_looked_for_within_reach_of_its_lines():
    from cleaner.region.features import _REACH

    source = "Руководитель семинара:\nд.э.н., проф. Е.Ю. Дорохина"
    copy = "Руководитель семинара:д.э.н., проф. Е.Ю. Дорохина"
    filler = [f"Пункт {i}: строка текста номер {i} без повторов." for i in range(_REACH // 30)]
    near = lines_of("\n".join([*filler, source, copy]))
    far = lines_of("\n".join([source, *filler, copy]))
    assert near[-1].flat and not far[-1].flat  # the filler is longer than the reach


def test_a_phrase_said_again_across_a_line_break_in_mid_line_is_no_flattened_copy():
    # a document's own words, said again where a PDF line break falls inside them
    lines = lines_of(
        "Riverside Training Centre, Hall B\n"
        "The committee thanks the volunteers of the Riverside Training\n"
        "Centre, Hall B for their help over the year."
    )
    assert [line.flat for line in lines] == [False, False, False]


def test_the_main_run_spans_short_lines_between_prose_and_stops_at_chrome():
    text = "\n".join(
        [
            "下载本文档 举报 收藏",
            "同志们:",
            "今年以来,全县各项工作稳步推进,取得了明显成效,群众满意度不断提高。",
            "一、工作回顾",
            "全年完成固定资产投资四十亿元,同比增长百分之八,重点项目进展顺利。",
            "相关推荐 猜你喜欢",
        ]
    )
    lines = lines_of(text)
    assert main_run(lines) == (2, 4)


PDF_PROSE = [
    "The regional water board has prepared this guide for the operators of small",
    "supply systems, who will adapt it to the needs of their own communities and",
    "to the rules that apply where they work. Each operator is responsible for the",
    "decisions taken on how to use this guide in its own district",
    "across the region, together with the inspectors who visit each site twice a",
    "year and the laboratories that test the samples they collect.",
]


def test_a_line_repeated_between_prose_inside_the_run_is_a_running_header_not_chrome():
    header = "Water Safety Plan"
    page = [header, "Part 4: Storage and Supply", header, *PDF_PROSE[:4], header, *PDF_PROSE[4:]]
    region = MODEL.read("\n".join(page))
    copies = [line for line in region.lines if line.text == header]
    assert len(copies) == 3 and not any(line.chrome for line in copies)
    assert region.run == (3, len(page) - 1)  # from the first prose line to the last
    # printed twice by the site, above and below the document: chrome
    twice = "Download as PDF"
    region = MODEL.read("\n".join([twice, *PDF_PROSE, twice]))
    assert [line.chrome for line in region.lines if line.text == twice] == [True, True]


def test_the_guard_keeps_prose_and_lines_with_no_sign_of_chrome():
    prose, plain, chrome, number = lines_of("这是正文。这也是正文。\n交流发言\n举报\n2024")
    assert guarded(prose) and guarded(plain)
    assert not guarded(chrome) and not guarded(number)


@pytest.mark.parametrize(
    ("line", "kept"),
    [
        ("2024年9月1日", True),  # the date a notice is signed on
        ("p41-46w3_ART&SCIENCE 20/09/2010 12:22 Page 41", True),  # a PDF's print slug
        ("ch01.indd 3 3/14/08 10:02:51 AM", True),
        ("user_name 20/09/2010 12:22", False),  # a byline: a name, a date and a time
        ("发布时间:2024-09-01 12:22", False),
        ("2024年9月1日 12:00", False),
    ],
)
def test_a_documents_own_marks_are_guarded_and_bylines_are_not(line, kept):
    (read,) = lines_of(line)
    assert guarded(read) is kept


def test_sentences_keep_their_offsets_in_the_page():
    text = "  导语:欢迎阅读本站范文。尊敬的各位领导:\n"
    (line,) = split_lines(text)
    parts = sentences(line)
    assert [text[p.start : p.end].strip() for p in parts] == [
        "导语:欢迎阅读本站范文。",
        "尊敬的各位领导:",
    ]


PAGE = "\n".join(
    [
        "当前位置:首页 > 范文 > 讲话稿",
        "在全县安全生产工作会议上的讲话",
        "时间:2024-01-05 来源:网友投稿 浏览:532次",
        "下面是小编为大家整理的讲话稿范文,仅供参考,欢迎阅读。",
        "同志们:",
        "今天召开全县安全生产工作会议,主要任务是总结去年工作,部署今年任务。",
        "去年全县安全生产形势总体平稳,事故起数和死亡人数实现双下降。",
        "一、提高认识",
        "安全生产是发展的底线,各级各部门要把这项工作放在突出位置,抓紧抓实。",
        "扫一扫在手机阅读、分享本文",
        "版权声明:本站文章来自网友投稿,如有侵权请联系删除。",
    ]
)


def test_the_frame_goes_the_body_stays_and_every_removal_says_why():
    res = Cleaner().clean(PAGE)
    assert res.text.splitlines() == [
        "在全县安全生产工作会议上的讲话",
        "同志们:",
        "今天召开全县安全生产工作会议,主要任务是总结去年工作,部署今年任务。",
        "去年全县安全生产形势总体平稳,事故起数和死亡人数实现双下降。",
        "一、提高认识",
        "安全生产是发展的底线,各级各部门要把这项工作放在突出位置,抓紧抓实。",
    ]
    assert res.metadata["title"] == "在全县安全生产工作会议上的讲话"
    region = [r for r in res.provenance["removed"] if r["rule"].startswith("region/")]
    assert region and all(r["rule"] == "region/chrome" for r in region)
    removed = [d for d in res.region.decisions if d.removed]
    assert removed and all(d.p >= res.region.threshold and d.reasons for d in removed)
    assert res.provenance["region"]["removed"] == len(removed)


def test_a_chrome_sentence_glued_to_the_speech_goes_alone():
    page = (
        "同志们:\n导语:写作离不开范例,欢迎阅读,仅供参考。"
        "今天我们召开这次会议,主要任务是部署工作。\n下面我讲三点意见。"
    )
    res = Cleaner().clean(page)
    assert "仅供参考" not in res.text
    assert "今天我们召开这次会议,主要任务是部署工作。" in res.text
    assert any(r["rule"] == "region/sentence" for r in res.provenance["removed"])


def test_a_greeting_glued_to_a_watermark_stays_and_the_watermark_goes():
    page = (
        "尊敬的各位来宾:\n大家下午好! 范文之家,范文学习文库\n"
        "今天我们在这里举行新校区的落成典礼,我代表学校向各位表示衷心的感谢。\n"
        "新校区的建成,凝聚了许多人的心血,也承载着全校师生的期待。"
    )
    res = Cleaner().clean(page)
    assert "大家下午好!" in res.text.splitlines()
    assert "范文学习文库" not in res.text
    assert any(r["rule"] == "region/sentence" for r in res.provenance["removed"])


def test_a_notice_keeps_its_signing_date_and_the_byline_date_goes():
    page = (
        "发布时间:2024-09-02 浏览:2381\n各中小学:\n"
        "为保障师生饮食安全,现就加强校园食品安全管理工作通知如下。请各校认真落实。\n"
        "特此通知。\n县教育局\n2024年9月1日\n版权声明:本站文档均由用户上传,如有侵权请联系删除。"
    )
    res = Cleaner().clean(page)
    assert res.text.splitlines()[-2:] == ["县教育局", "2024年9月1日"]
    assert "发布时间" not in res.text
    assert res.metadata["truncated"] is False  # a text that ends with its date is whole


@pytest.mark.parametrize(
    "broken, chrome, prose",
    [
        (
            ("We plan the work for the river, and", "the work starts in May."),
            "You might also like",
            "We plan the work for the river. The work starts in May.",
        ),
        (
            ("我们认真落实会议精神,", "今年的工作正在推进。"),
            "猜你喜欢",
            "我们认真落实会议精神。今年的工作正在推进。",
        ),
    ],
)
def test_a_page_marker_joins_no_chrome_line_to_the_prose_after_it(broken, chrome, prose):
    page = "\n".join([broken[0], "第1页 / 共43页", broken[1], chrome, "第2页 / 共43页", prose])
    res = Cleaner().clean(page)
    assert prose in res.text.splitlines() and chrome not in res.text
    # a sentence broken by a page marker joins, as the model keeps both of its lines
    joined = (" " if broken[0].isascii() else "").join(broken)
    assert res.text.splitlines()[0] == joined


def test_the_clean_text_is_the_models_fixed_point():
    cleaner = Cleaner()
    once = cleaner.clean(PAGE)
    twice = cleaner.clean(once.text)
    assert twice.text == once.text
    assert not [r for r in twice.provenance["removed"] if r["rule"].startswith("region/")]


def pack(extra: str):
    data = {"site": {"id": "quiet", "domains": ["quiet.example"]}}
    if extra == "off":
        data["region"] = {"enabled": False}
    elif extra == "strict":
        data["region"] = {"threshold": 0.99}
    return compile_pack(data, "quiet.toml")


@pytest.mark.parametrize("setting", ["off", "strict"])
def test_a_pack_can_switch_the_model_off_or_raise_its_threshold(setting):
    cleaner = Cleaner().with_packs([pack(setting)])
    res = cleaner.clean(PAGE, url="https://quiet.example/1.html")
    kept = "扫一扫在手机阅读、分享本文" in res.text
    assert kept if setting == "off" else "当前位置" not in res.text or kept
    if setting == "off":
        assert "region" not in res.provenance


def test_a_bad_region_table_is_named():
    with pytest.raises(Exception, match="threshold must be a number"):
        compile_pack({"site": {"id": "x"}, "region": {"threshold": 2}}, "x.toml")


def test_a_page_the_model_mostly_removes_is_flagged():
    page = "\n".join(
        ["举报 收藏 分享", "下载本文档", "相关推荐", "上一篇:某某讲话", "扫一扫", "正文。"]
    )
    res = Cleaner().clean(page)
    assert "region_removed_most" in res.provenance["flags"]


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("https://es.studenta.com/content/1/claves-para-elaborar-monografias", 4),
        ("https://scribd.com/document/410122362/graduation-speech-docx", 2),
        ("https://theslide.ru/x/praktika-po-polucheniyu-umeniy-1", 4),
        ("https://max.book118.com/html/2023/0101/123.shtm", 0),
    ],
)
def test_slug_words(url, words):
    assert len(slug_words(url)) == words


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("https://scribd.com/doc/305780652/GD-2016-Welcome-Speech", "GD 2016 Welcome Speech"),
        ("https://scribd.com/document/410122362/graduation-speech-docx", "Graduation Speech"),
        ("https://example.com/speech-outline-12345678", "Speech Outline"),  # an id, not a word
        ("https://example.com/a/2016-123", None),  # numbers alone name nothing
        ("https://max.book118.com/html/2023/0101/123.shtm", None),
    ],
)
def test_a_slug_titles_a_page_with_its_numbers_but_not_its_ids(url, title):
    assert slug_title(url) == title


@pytest.mark.parametrize(
    ("url", "line", "named"),
    [
        ("https://www.slideplayer.com/slide/1/", "SlidePlayer", True),
        ("https://docplayer.net/123-annual-report.html", "DocPlayer.net", True),
        ("https://wenku.baidu.com/view/1.html", "Baidu", True),
        ("https://www.example.com.cn/a.html", "EXAMPLE", True),
        ("https://www.slideplayer.com/slide/1/", "Slide Player Guide", False),
        ("https://a.io/x", "A", False),  # a name of three letters or fewer is no evidence
        (None, "SlidePlayer", False),
    ],
)
def test_a_line_that_is_the_hosts_name_is_the_sites(url, line, named):
    host = host_of(url)
    assert names_site(line, host_names(registrable_domain(host) if host else None)) is named


def test_the_sites_name_goes_and_a_title_its_chrome_quotes_is_the_title():
    page = (
        'SlideShelf\nPresentation on theme: "Rivers of Europe"— Presentation transcript:\n'
        "1 Rivers of Europe\n2 The Danube\n"
        "The Danube flows through ten countries. It ends in the Black Sea.\n"
        "3 The Rhine\nThe Rhine carries much of the freight of Western Europe. It is busy."
    )
    res = Cleaner().clean(page, url="https://www.slideshelf.example/slide/77/")
    assert not res.text.startswith("SlideShelf")
    assert res.metadata["title"] == "Rivers of Europe"


def test_cyrillic_folds_as_slugs_write_it():
    assert fold("Практика по получению умений") == "praktika po polucheniyu umeniy"


def test_the_slug_names_a_title_over_two_lines():
    page = (
        "Logo Studenta\nClaves para elaborar\nmonografías de grado\n"
        + "La historia nos enseña que las universidades nacieron en la Edad Media. " * 3
    )
    res = Cleaner().clean(
        page, url="https://es.studenta.com/content/1/claves-para-elaborar-monografias-de-grado"
    )
    assert res.metadata["title"] == "Claves para elaborar monografías de grado"


@pytest.mark.parametrize(
    ("raw", "title"),
    [
        ("有关教师爱岗敬业演讲稿范文5篇(优秀教师爱岗敬业演讲稿)", "教师爱岗敬业演讲稿"),
        ("代理記賬公司績效考核方案(通用6篇)", "代理記賬公司績效考核方案"),
        ("社區志願服務總結範文", "社區志願服務總結"),
        ("《第三方支付的监管现状、问题及对策》10000字(论文)", "第三方支付的监管现状、问题及对策"),
        (
            "在全县计划生育工作半年形势分析会上的讲话.docxVIP",
            "在全县计划生育工作半年形势分析会上的讲话",
        ),
        ("Презентация на тему по информатике на тему Адресация в Интернет", "Адресация в Интернет"),
        ("The Value of Reading Aloud - Free Essay Example", "The Value of Reading Aloud"),
        ("谈快乐学习(演讲稿)", "谈快乐学习(演讲稿)"),
        ("《系统集成项目管理工程师》知识点归纳", "《系统集成项目管理工程师》知识点归纳"),
        ("福建的心得体会范本 福建培训心得体会", "福建培训心得体会"),
        ("城市规划原理与应用课件", "城市规划原理与应用"),
        ("春天来了 夏天到了", "春天来了 夏天到了"),
        ("新学期开学典礼精彩演讲稿", "新学期开学典礼演讲稿"),
        ("精彩人生演讲稿", "精彩人生演讲稿"),
        ("关于高中校长毕业典礼精彩致辞7篇", "高中校长毕业典礼致辞"),
        ("关于加强校园食品安全管理的通知", "关于加强校园食品安全管理的通知"),
        ("關於做好防汛工作的意見", "關於做好防汛工作的意見"),
    ],
)
def test_decorations_of_found_titles(raw, title):
    assert clean_title(raw, Cleaner().book.chain(None), found=True) == title


def test_a_run_on_page_is_titled_by_its_leading_words_and_a_page_of_words_is_not():
    body = "同志们:今年以来,全市上下认真落实各项部署,经济运行总体平稳,民生保障持续加强。" * 6
    titled = Cleaner().clean("在基层治理工作会议上的讲话稿 " + body)
    assert titled.metadata["title"] == "在基层治理工作会议上的讲话稿"
    assert Cleaner().clean("讲话 " + body).metadata["title"] is None


def test_a_title_cut_runs_the_patterns_its_cut_exposes():
    # the first pattern's cut joins `X` and `Y`: the needle of the second, `XY`, is there now
    pack = pack_from_bytes(b"[site]\nid = \"t\"\n[title]\nstrip = ['-cut-', 'XY$']\n", "t.toml")
    assert clean_title("Title X-cut-Y", [pack]) == "Title"
    assert clean_title(" -cut- ", [pack]) is None


def test_a_captured_title_keeps_what_a_decoration_would_cut():
    assert clean_title("建军节演讲稿范文", Cleaner().book.chain(None)) == "建军节演讲稿范文"


def test_an_editors_intro_glued_to_the_speech_takes_only_its_sentence():
    page = "以下是小编为大家整理的讲话稿范文,欢迎阅读。尊敬的各位来宾,今天我们相聚在这里。"
    res = Cleaner(region=False).clean(page)
    assert res.text == "尊敬的各位来宾,今天我们相聚在这里。"


def test_no_region_on_the_command_line_leaves_the_model_out(tmp_path):
    from clirun import runner

    from cleaner.cli import cli

    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    outputs = {}
    for flag in ([], ["--no-region"]):
        out = tmp_path / f"out{len(flag)}.jsonl"
        res = runner().invoke(cli, ["clean", str(page), "-o", str(out), "-q", *flag])
        assert res.exit_code == 0, res.stderr
        outputs[bool(flag)] = out.read_text(encoding="utf-8")
    assert "region/chrome" in outputs[False] and "region/" not in outputs[True]


def test_the_compiled_vocabulary_is_kept_and_loaded_again(tmp_path, monkeypatch):
    import hyperscan

    from cleaner.region.vocabulary import Vocabulary

    folder = Path(MODEL.vocabulary.path).parent
    paths = (folder / "vocabulary.toml", folder / "traditional.txt")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path))
    Vocabulary(*paths)
    kept = sorted(tmp_path.glob("*.hsdb"))
    assert len(kept) == 2  # phrases with the first match of each pattern; patterns, with starts

    def no_compile(*args, **kwargs):
        raise AssertionError("compiled again")

    with monkeypatch.context() as m:
        m.setattr(hyperscan, "Database", no_compile)
        loaded = Vocabulary(*paths)
    words = ["下载本文档", "Скачать презентацию"]
    assert loaded.coverage(words) == MODEL.vocabulary.coverage(words)

    kept[0].write_bytes(b"not a database")  # a broken file is compiled again and replaced
    assert Vocabulary(*paths).coverage(["下载本文档"])[0].hits > 0
    assert kept[0].read_bytes() != b"not a database"


def test_an_empty_cache_dir_setting_keeps_nothing(tmp_path, monkeypatch):
    from cleaner.region.vocabulary import cache_folder

    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    assert cache_folder() is None
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(tmp_path / "x"))
    assert cache_folder() == tmp_path / "x"
