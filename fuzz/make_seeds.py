#!/usr/bin/env python3
"""Writes the seed corpora of the fuzz targets into fuzz/in/<target>/.

Run from anywhere: python3 fuzz/make_seeds.py. The decode_parse seeds are small excerpts
(about 2 KB: the header lines, then the first annotated task items) of documents of the
genre, from data/docs/ and tests/corpus/. Their first byte picks the
format (see DocumentKind in checks.rs): 0 text, 1 HTML, 2 .docx as given, 3 .docx built
around the Word XML parts that follow (split on 0xFF).
"""

import html
import io
import os
import zipfile

FUZZ = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(FUZZ)
CORPUS = os.path.join(ROOT, "tests", "corpus")


def write(target, name, data):
    d = os.path.join(FUZZ, "in", target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def excerpt(path, limit=2048):
    """Header lines, then lines from just before the first annotation, up to `limit` bytes."""
    lines = open(path, encoding="utf-8").read().splitlines()
    marks = ("牵头单位", "责任单位", "负责）", "牵头）")
    first = next((i for i, l in enumerate(lines) if any(m in l for m in marks)), 0)
    out, size = [], 0
    for i, line in enumerate(lines):
        if i < 8 or i >= max(first - 2, 8):
            # Long lines are cut so that the excerpt holds several items.
            if len(line.encode()) > 600:
                line = line[:60] + line[-140:]
            n = len(line.encode()) + 1
            if size + n > limit:
                break
            out.append(line)
            size += n
    return "\n".join(out) + "\n"


def paragraphs_xml(lines):
    body = "".join(
        "<w:p><w:r><w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>" % html.escape(l)
        for l in lines
    )
    table = (
        "<w:tbl><w:tr>"
        + "".join("<w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>" % c
                  for c in ["序号", "工作事项", "牵头单位", "配合单位"])
        + "</w:tr><w:tr>"
        + "".join("<w:tc><w:p><w:r><w:t>%s</w:t></w:r></w:p></w:tc>" % c
                  for c in ["1", "深化营商环境优化对接", "省营商局", "省发展改革委、省商务厅"])
        + "</w:tr></w:tbl>"
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body>" + body + table + "</w:body></w:document>"
    )


NUMBERING = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
    '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
)


def main():
    docs = [os.path.join(ROOT, "data/docs/liaoning-2021-1.txt")]
    for name in ("03.txt", "08.txt", "12.txt"):
        if os.path.exists(os.path.join(CORPUS, name)):
            docs.append(os.path.join(CORPUS, name))
    texts = []
    for path in docs:
        text = excerpt(path)
        texts.append(text)
        stem = os.path.splitext(os.path.basename(path))[0]
        write("decode_parse", "txt-%s" % stem, b"\x00" + text.encode())

    # HTML: a page around the first excerpt.
    lines = texts[0].splitlines()
    page = (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head><body>"
        "<div class=\"nav\">首页 &gt; 政策文件</div><div class=\"article\">%s</div>"
        "<div class=\"footer\">版权所有</div></body></html>"
        % (html.escape(lines[5] if len(lines) > 5 else ""),
           "".join("<p>%s</p>" % html.escape(l) for l in lines))
    )
    write("decode_parse", "html-liaoning", b"\x01" + page.encode())
    if len(texts) > 1:
        table = (
            "<html><body><div id=\"content\"><p>一、总体要求</p><table>"
            "<tr><td>序号</td><td>工作事项</td><td>牵头单位</td><td>配合单位</td></tr>"
            "<tr><td rowspan=\"2\">1</td><td>推进产业合作</td><td>市发展改革委</td><td>市财政局、市商务局</td></tr>"
            "<tr><td>推进人才合作</td><td colspan=\"2\">市人社局</td></tr>"
            "</table></div></body></html>"
        )
        write("decode_parse", "html-table", b"\x01" + table.encode("gbk", errors="replace"))

    # DOCX parts: document.xml (paragraphs and a table), numbering.xml.
    short = texts[-1].splitlines()[:12]
    doc_xml = paragraphs_xml(short).encode()
    write("decode_parse", "docxparts-01", b"\x03" + doc_xml + b"\xff" + NUMBERING.encode())
    # A whole .docx, deflated, as Word writes it.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", paragraphs_xml(texts[0].splitlines()[:10]))
    write("decode_parse", "docx-liaoning", b"\x02" + buf.getvalue())

    # split_units
    for i, s in enumerate([
        "省发展改革委、省财政厅，各市政府",
        "市教育局（牵头）、市人社局配合",
        "省营商局,责任单位:省发展改革委、省商务厅、沈抚示范区管委会,各市政府",
        "沈阳、大连、营口市政府",
        "市经信局、市发改委，各区〔县、市〕政府、开发园区管委会",
        "人力资源社会保障部、财政部负责",
        "各区、县（市）政府及市有关部门",
        "*市科技局、市财政局和市商务局\n市数据局",
    ]):
        write("split_units", "list-%02d" % i, s)

    # dot_escape
    for i, s in enumerate([
        "辽宁省人民政府办公厅",
        'a "quoted" label\\n with \\ back\\\\slashes',
        "line one\r\nline two\n",
        "<html> & {braces} [brackets] ; -> --",
        "\\",
    ]):
        write("dot_escape", "label-%02d" % i, s)

    # sparql_request: flags (bit 0 GET, bits 1-2 content type), qs, 0xFF, type, 0xFF, body.
    q = "SELECT ?t WHERE { ?t a pol:Task } LIMIT 10"
    enc = "SELECT+%3Ft+WHERE+%7B+%3Ft+a+pol%3ATask+%7D+LIMIT+10"
    reqs = [
        (1, "query=" + enc + "&format=json", "", b""),
        (1, "query=" + enc + "&default-graph-uri=urn%3Ag1&named-graph-uri=urn%3Ag2", "", b""),
        (0, "", "application/x-www-form-urlencoded", ("query=" + enc).encode()),
        (0, "format=csv", "application/sparql-query", q.encode()),
        (0, "using-graph-uri=urn%3Ag", "application/sparql-update",
         "INSERT DATA { <urn:a> <urn:b> <urn:c> }".encode()),
        (0, "", "application/x-www-form-urlencoded",
         b"update=DELETE+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D&using-named-graph-uri=urn%3Ag"),
        (1, "update=CLEAR+ALL", "", b""),
        (0, "query=x", "text/plain", b"SELECT * {}"),
    ]
    for i, (get, qs, ct, body) in enumerate(reqs):
        write("sparql_request", "req-%02d" % i,
              bytes([get]) + qs.encode() + b"\xff" + ct.encode() + b"\xff" + body)


if __name__ == "__main__":
    main()
