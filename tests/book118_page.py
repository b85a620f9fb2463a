"""A book118 (原创力文档) document page as the site serves it, around any document."""

from __future__ import annotations

from html import escape

HEAD = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={charset}">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<title>{file_name}_原创力文档</title>
<meta name="keywords" content="{title},原创力文档">
<meta name="description"
 content="原创力文档(book118)是网络服务平台方,若您的权利被侵害,请发链接和相关诉求至电话:400-050-0827">
<link rel="canonical" href="https://max.book118.com/html/2023/0712/5022141233010244.shtm">
<link rel="stylesheet" href="//static.book118.com/max/css/detail.css?v=20230711">
<script type="text/javascript">
var base = {{"aid": "575634839", "title": "{title}", "format": "{fmt}",
  "isVip": 1, "preview_page": 5}};
document.write('<div class="loading">加载中...</div>');
</script>
<script src="//static.book118.com/max/js/jquery.min.js"></script>
</head>
<body>
<div class="header">
  <div class="header-inner">
    <a class="logo" href="https://max.book118.com/">原创力文档</a>
    <ul class="menu"><li><a href="/">首页</a></li><li><a href="/doclist/">分类</a></li>
    <li><a href="/upload.html">上传文档</a></li><li><a href="/vip/">1亿VIP精品文档</a></li></ul>
    <form class="search-form" action="/search.html"><input name="q" placeholder="搜索文档">
    <button type="submit">搜索</button></form>
    <div class="user-link"><a href="/login">登录</a> | <a href="/reg">注册</a></div>
  </div>
</div>
<div class="crumbs"><a href="/">原创力文档</a> &gt; <a href="/dangzheng/">党政相关</a>
 &gt; <a href="/dangzheng/jianghua/">讲话稿</a></div>
<div class="layout">
<div class="layout-main">
<div class="doc-main">
  <div class="doc-title"><h1 id="title">{file_name}<i class="icon-vip">VIP</i></h1></div>
  <div class="doc-tools">
    <a class="btn-download" href="javascript:;">下载本文档</a>
    <a class="fav" href="javascript:;">收藏</a><a class="jubao" href="javascript:;">举报</a>
  </div>
  <div class="doc-file">{file_name}</div>
  <div class="doc-notice">
    <ol>
{terms}
    </ol>
    <a class="notice-more" href="javascript:;">查看更多</a>
  </div>
  <div id="reader" class="reader">
    <div class="webpreview-title">{title}</div>
{pages}
  </div>
  <div class="preview-more"><a href="javascript:;">继续免费阅读</a></div>
</div>
<div class="comment" id="comment">
  <h3>文档评论({comments})</h3>
  <div class="comment-empty">暂无评论,快来抢沙发吧</div>
</div>
</div>
<div class="layout-side">
  <div class="doc-user">
    <div class="user-name">{uploader} <a class="follow" href="javascript:;">+ 关注</a></div>
    <div class="user-cert">实名认证</div>
    <div class="user-role">文档贡献者</div>
    <div class="user-intro">该用户很懒,什么也没介绍</div>
  </div>
  <div class="related-docs">
    <h3>相关文档</h3>
    <ul>
      <li><a href="/html/2023/0301/1.shtm">在全县计划生育工作会议上的讲话.doc</a></li>
      <li><a href="/html/2022/1108/2.shtm">人口和计划生育工作表态发言.docx</a></li>
      <li><a href="/html/2021/0615/3.shtm">乡镇计划生育半年工作总结.doc</a></li>
    </ul>
  </div>
</div>
</div>
<div class="footer">
  <p><a href="/about">关于我们</a> | <a href="/help">帮助中心</a>
   | <a href="/copyright">版权申诉</a></p>
  <p>原创力文档(book118)是网络服务平台方,若您的权利被侵害,请发链接和相关诉求至 电话:400-050-0827</p>
  <p>© 2010-2023 max.book118.com 皖ICP备18006197号</p>
</div>
<script>window._hmt = window._hmt || [];</script>
</body>
</html>
"""

TERMS = [
    "1、原创力文档(book118)网站文档一经付费(服务费),不意味着购买了该文档的版权,仅供个人/单位学习、研究之用,不得用于商业用途,未经授权,严禁复制、发行、汇编、翻译或者网络传播等,侵权必究。。",
    "2、本站所有内容均由合作方或网友上传,本站不对文档的完整性、权威性及其观点立场正确性做任何保证或承诺!文档内容仅供研究参考,付费前请自行鉴别。",
    "3、如文档侵犯商业秘密、侵犯著作权、侵犯人身权等,请点击“版权申诉”(推荐),也可以打举报电话:400-050-0827(电话支持时间:9:00-18:30)。",
    "4、该文档为VIP文档,如果想要下载,成为VIP会员后,下载免费。",
    "5、成为VIP后,下载本文档将扣除1次下载权益。下载后,不支持退款、换文档。如有疑问请联系我们。",
]


def render(
    title: str,
    paragraphs: list[str],
    *,
    fmt: str = "docx",
    uploader: str = "a888118a",
    comments: int = 0,
    per_page: int = 4,
    charset: str = "utf-8",
) -> str:
    """The page: head, top bar, breadcrumb, the document column (title, tools, terms, reader
    with one `webpreview-item` per preview page), comments, uploader card, related documents."""
    pages = []
    for n, start in enumerate(range(0, len(paragraphs), per_page), 1):
        body = "\n".join(f"      <p>{escape(p)}</p>" for p in paragraphs[start : start + per_page])
        pages.append(
            f'    <div class="webpreview-item" data-page="{n}">\n{body}\n'
            f'      <div class="page-num">{n}</div>\n    </div>'
        )
    return HEAD.format(
        charset=charset,
        title=escape(title),
        fmt=fmt,
        file_name=escape(f"{title}.{fmt}"),
        terms="\n".join(f"      <li>{escape(t)}</li>" for t in TERMS),
        pages="\n".join(pages),
        uploader=escape(uploader),
        comments=comments,
    )
