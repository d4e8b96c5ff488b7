"""html_sections keeps reading pages as the BeautifulSoup implementation it replaced did.

Every expected (title, blocks) below was produced by that implementation (BeautifulSoup over
lxml, before the move to lxml alone): tricky markup where a tree built differently, text pieces
joined differently or an element judged differently would show. Four departures are deliberate:
inline markup (a comment, <b>, <wbr>, ruby) joins the text it splits, as a browser shows it
(BeautifulSoup's get_text(" ") put a space at every tag: "Hea ding", "x in op y"); the text of an
element around the blocks it holds is read with its inline children ("short <b>bold…</b> x" lost
its bold words) and in runs where they stand ("Quote own", "inner p", "more own"); a DOCTYPE inside
a page separates the words on either side and adds none of its own (BeautifulSoup put "html PUBLIC
…" into the text); and a second page pasted after the first is read, not lost.
"""

import pytest

from analyzer.text import html_sections

CASES = {
    'nested_lists_notraf': (
        ('<html><body><h2>Plan</h2><ul><li>Outer item text here<ul><li>Inner one</li>'
         '<li>Inner <b>two</b></li></ul> tail text</li><li>Second</li></ul></body></html>'),
        (None,
        [('heading', 'Plan', ()),
         ('item', 'Outer item text here', ('Plan',)),
         ('item', 'Inner one', ('Plan',)),
         ('item', 'Inner two', ('Plan',)),
         ('item', 'tail text', ('Plan',)),
         ('item', 'Second', ('Plan',))]),
    ),
    'div_direct_text': (
        ('<html><body><div>Short</div>'
         '<div>This sentence is long enough to count as a real paragraph of platform text. <b>bold</b> more direct text in the div <br> after br</div>'
         '<section>Section own text that is quite long indeed here.</section>'
         '<article>Article own text that is quite long indeed here.<p>para</p></article></body></html>'),
        (None,
        [('paragraph',
          'This sentence is long enough to count as a real paragraph of platform text. bold more direct '
          'text in the div after br',
          ()),
         ('paragraph', 'Section own text that is quite long indeed here.', ()),
         ('paragraph', 'Article own text that is quite long indeed here.', ()),
         ('paragraph', 'para', ())]),
    ),
    'heading_in_link': (
        ("<html><body><a href='/x'><h2>Linked <i>heading</i></h2></a><p>Under it</p><h3>"
         "<a href='#'>Anchor</a> text</h3><p>Under h3</p></body></html>"),
        (None,
        [('heading', 'Linked heading', ()),
        ('paragraph', 'Under it', ('Linked heading',)),
        ('heading', 'Anchor text', ('Linked heading',)),
        ('paragraph', 'Under h3', ('Linked heading', 'Anchor text'))]),
    ),
    'comments': (
        ('<html><body><!-- a comment --><h2>Hea<!-- x -->ding</h2><p>foo<!-- c -->bar</p>'
         '<div>This sentence is long enough to count as a real paragraph of platform text. <!--c-->This sentence is long enough to count as a real paragraph of platform text. </div>'
         '</body></html>'),
        (None,
        [('heading', 'Heading', ()),
         ('paragraph', 'foobar', ('Heading',)),
         ('paragraph',
          'This sentence is long enough to count as a real paragraph of platform text. This sentence is '
          'long enough to count as a real paragraph of platform text.',
          ('Heading',))]),
    ),
    'hidden': (
        ("<html><body><div hidden><p>Hidden para</p></div><div aria-hidden='true'><p>aria hidden</p>"
         "</div><div aria-hidden='false'><p>aria visible</p></div><p hidden=''>hidden p</p>"
         '<h2>Visible</h2><p>Shown text</p></body></html>'),
        (None,
        [('paragraph', 'aria visible', ()),
        ('heading', 'Visible', ()),
        ('paragraph', 'Shown text', ('Visible',))]),
    ),
    'header_no_h2': (
        ('<html><body><header><h1>Site</h1><p>tagline</p></header><header><h2>Keep me</h2>'
         '<p>under header h2</p></header><header><div><h4>deep h4</h4></div><p>kept</p></header>'
         '<h2>Main</h2><p>Body</p></body></html>'),
        (None,
        [('heading', 'Keep me', ()),
        ('paragraph', 'under header h2', ('Keep me',)),
        ('heading', 'deep h4', ('Keep me',)),
        ('paragraph', 'kept', ('Keep me', 'deep h4')),
        ('heading', 'Main', ()),
        ('paragraph', 'Body', ('Main',))]),
    ),
    'content_sidebar_main': (
        ("<html><body class='content-sidebar'><main class='content-sidebar'>"
         "<article class='has-sidebar'><h2>Plan</h2><p>Article para</p></article>"
         "<div class='content-sidebar'><p>gone</p></div><section class='site-footer'><p>gone too</p>"
         '</section></main></body></html>'),
        (None, [('heading', 'Plan', ()), ('paragraph', 'Article para', ('Plan',))]),
    ),
    'entities': (
        ('<html><body><h2>Jobs &amp; Growth&nbsp;Now</h2>'
         '<p>Caf&eacute; &lt;tag&gt; &#8220;quoted&#8221; &#x2014; dash &copy; &bogus; &amp</p></body>'
         '</html>'),
        (None,
        [('heading', 'Jobs & Growth Now', ()),
        ('paragraph', 'Café <tag> “quoted” — dash © &bogus; &', ('Jobs & Growth Now',))]),
    ),
    'nbsp_soft': (
        ('<html><body><h2>\xa0Heading\xa0</h2><p>soft\xadhy\xadphen zero\u200bwidth \u200b nb\xa0sp</p>'
         '<li>\xad</li><li>\u200b</li><p>\xa0</p></body></html>'),
        (None, [('heading', 'Heading', ()), ('paragraph', 'softhyphen zerowidth nb sp', ('Heading',))]),
    ),
    'bidi': (
        ('<html><head><title>Ti\u202etle\u2066x\u2069</title></head><body><h2>Bi\u202ddi</h2>'
         '<p>abc\u202edef\u2067ghi\u2069 \x01ctrl\x7f</p></body></html>'),
        ('Titlex', [('heading', 'Bidi', ()), ('paragraph', 'abcdefghi ctrl', ('Bidi',))]),
    ),
    'broken': (
        ('<html><body>'
         '<h2>Broken<p>para one<p>para two<li>item<div>div text that is long enough to be read<h3>h3 unclosed<p>last'),
        (None,
        [('heading', 'Broken', ()),
        ('paragraph', 'para one', ('Broken',)),
        ('paragraph', 'para two', ('Broken',)),
        ('item', 'item', ('Broken',)),
        ('paragraph', 'div text that is long enough to be read', ('Broken',)),
        ('heading', 'h3 unclosed', ('Broken',)),
        ('paragraph', 'last', ('Broken', 'h3 unclosed'))]),
    ),
    'broken2': (
        '<body><p>a <b>b <i>c</b> d</i> e</p><ul><li>one<li>two</ul></table></div><p>after</p>',
        (None,
        [('paragraph', 'a b c d e', ()),
        ('item', 'one', ()),
        ('item', 'two', ()),
        ('paragraph', 'after', ())]),
    ),
    'table': (
        ('<html><body><h2>Budget</h2><table><tr><th>Item</th><th>Cost</th></tr><tr>'
         '<td>Parks <b>and</b> rec</td><td>$1</td></tr><tr><td><p>nested p in td</p></td><td></td></tr>'
         '</table></body></html>'),
        (None,
        [('heading', 'Budget', ()),
        ('paragraph', 'Item', ('Budget',)),
        ('paragraph', 'Cost', ('Budget',)),
        ('paragraph', 'Parks and rec', ('Budget',)),
        ('paragraph', '$1', ('Budget',)),
        ('paragraph', 'nested p in td', ('Budget',))]),
    ),
    'br_in_p': (
        '<html><body><p>line one<br>line two<br/>line three</p><p>a<br><br>b</p></body></html>',
        (None, [('paragraph', 'line one line two line three', ()), ('paragraph', 'a b', ())]),
    ),
    'pre': (
        ('<html><body><pre>  code   block\n\n  indented\ttab </pre><pre><p>p in pre</p></pre></body>'
         '</html>'),
        (None, [('paragraph', 'code block indented tab', ()), ('paragraph', 'p in pre', ())]),
    ),
    'empty_headings': (
        ("<html><body><h2></h2><p>after empty</p><h3> </h3><h2><img src='x'></h2><p>x</p>"
         '<h4>Last heading no follow</h4></body></html>'),
        (None, [('paragraph', 'after empty', ()), ('paragraph', 'x', ())]),
    ),
    'heading_stack': (
        ('<html><body><h1>A</h1><h3>B</h3><p>p1</p><h2>C</h2><p>p2</p><h4>D</h4><h2>E</h2><p>p3</p>'
         '<h6>F</h6><h5>G</h5><p>p4</p></body></html>'),
        (None,
        [('heading', 'A', ()),
        ('heading', 'B', ('A',)),
        ('paragraph', 'p1', ('A', 'B')),
        ('heading', 'C', ('A',)),
        ('paragraph', 'p2', ('A', 'C')),
        # D and F have nothing under them: headings left empty are dropped (a deliberate change)
        ('heading', 'E', ('A',)),
        ('paragraph', 'p3', ('A', 'E')),
        ('heading', 'G', ('A', 'E')),
        ('paragraph', 'p4', ('A', 'E', 'G'))]),
    ),
    'boilerplate_tags': (
        ('<html><body><nav><p>nav para</p></nav><p>Keep<script>bad()</script>this</p>'
         '<p>a<style>p{}</style>b</p><form><p>form p</p></form><button>btn</button><p>x<svg>'
         '<title>svg title</title></svg>y</p><noscript><p>ns</p></noscript><template><p>tpl</p>'
         '</template><footer><p>foot</p></footer><iframe src=x></iframe><p>after<input>input</p><select>'
         '<option>o</select><textarea>ta</textarea><object>obj</object><embed><canvas>c</canvas></body>'
         '</html>'),
        ('svg title',
        [('paragraph', 'Keepthis', ()),
         ('paragraph', 'ab', ()),
         ('paragraph', 'x y', ()),
         ('paragraph', 'after input', ())]),
    ),
    'svg_title_first': (
        '<html><body><svg><title>Svg Title</title></svg><p>para</p></body></html>',
        ('Svg Title', [('paragraph', 'para', ())]),
    ),
    'title_in_body': (
        '<html><head></head><body><title>Body title</title><p>para</p></body></html>',
        ('Body title', [('paragraph', 'para', ())]),
    ),
    'two_titles': (
        ('<html><head><title>First <b>bold</b> title</title><title>Second</title></head><body><p>x</p>'
         '</body></html>'),
        ('First <b>bold</b> title', [('paragraph', 'x', ())]),
    ),
    'empty_title': (
        '<html><head><title></title></head><body><p>x</p></body></html>',
        ('', [('paragraph', 'x', ())]),
    ),
    'boilerplate_classes': (
        ("<html><body><div class='menu'><p>menu</p></div><div id='site-footer'><p>f</p></div>"
         "<div class='main_nav'><p>m</p></div><div class='navigation-top'><p>n</p></div>"
         "<div class='nav-item-x'><p>keep? nav-item</p></div><div class='navy'><p>navy keep</p></div>"
         "<div class='x\tshare'><p>share tab</p></div><div role='navigation'><p>role nav</p></div>"
         "<div role='banner'><p>role banner</p></div><div class='COOKIE'><p>caps</p></div>"
         "<p class='disclaimer'>disc</p><span class='social'>soc</span>"
         "<p>kept <span class='social'>soc</span> end</p></body></html>"),
        (None,
        [('paragraph', 'navy keep', ()), ('paragraph', 'role banner', ()), ('paragraph', 'kept end', ())]),
    ),
    'pi_in_body': (
        ('<html><body><div>'
         "<?php echo 'hello world this is long text'; ?> Div text with a processing instruction inside it here.</div>"
         '<p>a<?pi x?>b</p></body></html>'),
        (None,
        [('paragraph', 'Div text with a processing instruction inside it here.', ()),
         ('paragraph', 'ab', ())]),
    ),
    'doctype_in_body': (
        ('<html><body>'
         '<div>Before doctype text long enough to be read<!DOCTYPE html>after doctype text</div></body>'
         '</html>'),
        (None, [('paragraph', 'Before doctype text long enough to be read after doctype text', ())]),
    ),
    'doctype_pub': (
        ('<html><body>'
         '<div>text before the doctype long enough <!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0//EN" "http://x/y.dtd"> more text here</div>'
         '<p>a<!DOCTYPE html>b</p><h2>c<!doctype x>d</h2><p>e</p></body></html>'),
        (None,
        [('paragraph',
        'text before the doctype long enough more text here',
        ()),
        ('paragraph', 'a b', ()),
        ('heading', 'c d', ()),
        ('paragraph', 'e', ('c d',))]),
    ),
    'doctype_empty': (
        ('<html><body><div>text before an empty doctype, long enough <!DOCTYPE> after</div>'
         '<div>system id doctype text that is long <!DOCTYPE html SYSTEM "about:legacy-compat"> after</div>'
         '</body></html>'),
        (None,
        [('paragraph', 'text before an empty doctype, long enough after', ()),
        ('paragraph', 'system id doctype text that is long after', ())]),
    ),
    'two_pages': (
        ('<!DOCTYPE html><html><head><title>One</title></head><body><h2>First page</h2><p>one</p></body>'
         '</html>\n<!DOCTYPE html><html><head><title>Two</title></head><body><h2>Second page</h2>'
         '<p>two</p><div>Second page direct text that is long enough</div></body></html>'),
        ('One', [('heading', 'First page', ()), ('paragraph', 'one', ('First page',)), ('heading', 'Second page', ()),
                 ('paragraph', 'two', ('Second page',)),
                 ('paragraph', 'Second page direct text that is long enough', ('Second page',))]),
    ),
    'self_closed_html': (
        ("<html lang='en'/><head><title>SC</title></head><body><h2>Self closed</h2><p>text</p></body>"
         '</html>'),
        ('SC', [('heading', 'Self closed', ()), ('paragraph', 'text', ('Self closed',))]),
    ),
    'ruby_p': (
        ('<html><body><p>漢<rt>kan</rt>字</p><h2>Head<rt>x</rt>ing<rp>(</rp></h2><p>after</p></body>'
         '</html>'),
        (None,
        [('paragraph', '漢字', ()), ('heading', 'Heading', ()), ('paragraph', 'after', ('Heading',))]),
    ),
    'ruby_div': (
        ('<html><body><ruby><div>Own text long enough inside ruby element here<rt>rt</rt> more</div>'
         '</ruby><li>x<rt>y</rt>z</li></body></html>'),
        (None,
        [('paragraph', 'Own text long enough inside ruby element here more', ()), ('item', 'xz', ())]),
    ),
    'ruby_blocks': (
        ('<html><body><ruby><rt><h2>in rt</h2><p>p in rt</p>'
         '<div>Own text long enough inside an rt element here</div></rt></ruby><p>tail para</p></body>'
         '</html>'),
        (None,
        [('paragraph', 'tail para', ())]),
    ),
    'combining': (
        '<html><body><p>e<b>́</b> café</p><h2>A<!--x-->̊</h2><p>x</p></body></html>',
        (None,
        [('paragraph', 'é café', ()), ('heading', 'Å', ()), ('paragraph', 'x', ('Å',))]),
    ),
    'whitespace_joins': (
        ('<html><body><p>a<b>b</b>c</p><p>a <b> b </b> c</p><li>x<span></span>y</li>'
         '<h2>H<span>1</span>2</h2><p>z</p></body></html>'),
        (None,
        [('paragraph', 'abc', ()),
         ('paragraph', 'a b c', ()),
         ('item', 'xy', ()),
         ('heading', 'H12', ()),
         ('paragraph', 'z', ('H12',))]),
    ),
    'uppercase_tags': (
        ("<HTML><BODY><H2>UP</H2><P CLASS='Footer'>foot</P><P>Para</P><DIV ID='NAV'>nav</DIV></BODY>"
         '</HTML>'),
        (None, [('heading', 'UP', ()), ('paragraph', 'Para', ('UP',))]),
    ),
    'no_body': (
        '<html><head><title>T</title></head></html>',
        ('T', []),
    ),
    'empty': (
        '',
        (None, []),
    ),
    'only_comment': (
        '<!-- nothing -->',
        (None, []),
    ),
    'text_before_html': (
        'Leading text <html><head><title>t</title></head><body><p>body</p></body></html>',
        ('t', [('paragraph', 'body', ())]),
    ),
    'header_nav_h2': (
        ("<html><body><header><nav><h2>Menu</h2></nav><p>tag</p></header><header><div class='menu'>"
         '<h2>In menu div</h2></div><p>header text kept</p></header><h2>x</h2><p>y</p></body></html>'),
        (None, [('paragraph', 'header text kept', ()), ('heading', 'x', ()), ('paragraph', 'y', ('x',))]),
    ),
    'main_hidden': (
        ("<html><body><main hidden><p>gone</p></main><main class='sidebar' hidden><p>kept</p></main>"
         "<article aria-hidden='true' class='widget'><p>kept art</p></article></body></html>"),
        (None, [('paragraph', 'kept', ()), ('paragraph', 'kept art', ())]),
    ),
    'body_hidden': (
        ('<html><head><title>t</title></head><body hidden><p>x</p>'
         '<div>Direct text long enough to be a paragraph</div></body></html>'),
        ('t', []),
    ),
    'body_nav_hidden': (
        "<html><body class='nav' hidden><p>kept since flagged body is exempt</p></body></html>",
        (None, [('paragraph', 'kept since flagged body is exempt', ())]),
    ),
    'html_hidden': (
        '<html hidden><head><title>Hidden html</title></head><body><p>x</p></body></html>',
        ('Hidden html', []),
    ),
    'class_ctrl_ws': (
        ("<html><body><div class='nav\x1cx'><p>fs sep</p></div><div class='nav\x01'><p>ctrl</p></div>"
         "<div class='nav\xa0x'><p>nbsp</p></div><div class='nav\u2003'><p>emsp</p></div></body></html>"),
        (None, [('paragraph', 'ctrl', ())]),
    ),
    'dd_dt': (
        ('<html><body><dl><dt>Term</dt><dd>Definition <p>with p</p></dd><dd>Plain def</dd></dl>'
         '<blockquote>Quote<p>inner</p></blockquote><figure><figcaption>Cap</figcaption></figure>'
         '<address>Addr</address></body></html>'),
        (None,
        [('item', 'Term', ()),
        ('item', 'Definition', ()),
        ('paragraph', 'with p', ()),
        ('item', 'Plain def', ()),
        ('paragraph', 'Quote', ()),
        ('paragraph', 'inner', ()),
        ('paragraph', 'Cap', ()),
        ('paragraph', 'Addr', ())]),
    ),
    'li_with_heading': (
        ('<html><body><ul><li><h3>Head in li</h3>text after</li><li><h4></h4>only empty heading</li>'
         '</ul></body></html>'),
        (None,
        [('heading', 'Head in li', ()),
         ('item', 'text after', ('Head in li',)),
         ('item', 'only empty heading', ('Head in li',))]),
    ),
    'nested_headings': (
        '<html><body><h2>A<h3>B</h3>C</h2><p>p</p><h2><p>para in heading</p></h2><p>q</p></body></html>',
        (None,
        [('heading', 'A', ()),
         ('heading', 'B', ('A',)),
         ('paragraph', 'C', ('A', 'B')),
         ('paragraph', 'p', ('A', 'B')),
         ('paragraph', 'para in heading', ('A', 'B')),
         ('paragraph', 'q', ('A', 'B'))]),
    ),
    'blockquote_p': (
        ('<html><body><blockquote>Quote own<p>inner p</p>more own</blockquote><blockquote>'
         '<span>only inline</span></blockquote></body></html>'),
        (None,
        [('paragraph', 'Quote own', ()),
         ('paragraph', 'inner p', ()),
         ('paragraph', 'more own', ()),
         ('paragraph', 'only inline', ())]),
    ),
    'many_blocks_trailing_heading': (
        '<html><body><h2>A</h2><h3>B</h3><p>x</p><h2>C</h2><h2>D</h2></body></html>',
        (None,
        [('heading', 'A', ()),
        ('heading', 'B', ('A',)),
        ('paragraph', 'x', ('A', 'B'))]),  # C, with nothing under it, dropped (a deliberate change)
    ),
    'nbsp_only_blocks': (
        '<html><body><p>&nbsp;</p><li>&#8203;</li><h2>&shy;</h2><p>x</p></body></html>',
        (None, [('paragraph', 'x', ())]),
    ),
    'unicode_text_ctrl': (
        '<html><body><p>a\x1cb\x1dc\x1ed\x1ff</p><p>\ufffe\uffff</p><h2>\x0b</h2><p>z</p></body></html>',
        (None, [('paragraph', 'abcdf', ()), ('paragraph', '\ufffe\uffff', ()), ('paragraph', 'z', ())]),
    ),
    'article_own_text': (
        ('<html><body>'
         "<article class='post'>Article own text long enough to be read as paragraph<section>Section own text long enough to be read too<div>Div own text long enough, inside section</div>"
         '</section></article></body></html>'),
        (None,
        [('paragraph', 'Article own text long enough to be read as paragraph', ()),
        ('paragraph', 'Section own text long enough to be read too', ()),
        ('paragraph', 'Div own text long enough, inside section', ())]),
    ),
    'div_own_short': (
        ('<html><body><div>short <b>bold text here that is long</b> x</div>'
         '<div>exactly twenty-five chars</div><div>exactly twenty-four char</div></body></html>'),
        (None,
        [('paragraph', 'short bold text here that is long x', ()),
         ('paragraph', 'exactly twenty-five chars', ())]),
    ),
    'weird_tags_attrs': (
        ('<html><body><café>tag</café><div "foo"="bar" xml:lang="en" a:b="c" class="widget"><p>gone</p>'
         '</div><x-y><p>custom</p></x-y><o:p>op</o:p><p>para</p></body></html>'),
        (None, [('paragraph', 'custom', ()), ('paragraph', 'para', ())]),
    ),
    'o_p_tags': (
        '<html><body><p class=MsoNormal>Word text<o:p></o:p></p><p>x<o:p>in op</o:p>y</p></body></html>',
        (None,
        [('paragraph', 'Word text', ()), ('paragraph', 'xin opy', ())]),
    ),
    'lt_text': (
        ('<html><body><p>a < b and c<<d <> e</p><p>x <3 y</p>'
         '<div>1 < 2 and 3 > 2 and then some more text</div></body></html>'),
        (None,
        [('paragraph', 'a < b and c< e', ()),
        ('paragraph', 'x <3 y', ()),
        ('paragraph', '1 < 2 and 3 > 2 and then some more text', ())]),
    ),
    'stray_end_tags': (
        '</p></div></li><p>start</p></body><p>after body end</p></html><p>after html end</p>',
        # text after </body> and </html> is read (it was lost; see test_text.py)
        (None, [('paragraph', 'start', ()), ('paragraph', 'after body end', ()), ('paragraph', 'after html end', ())]),
    ),
    'char_refs': (
        ('<html><body>'
         '<p>&#0;nul &#1;one &#x7f;del &#128;euro &#x80; &#xD800;sur &#x110000;big &#65279;bom</p>'
         '</body></html>'),
        (None, [('paragraph', '�nul one del €euro € �sur �big \ufeffbom', ())]),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_edge_case_reads_as_before(name):
    html, expected = CASES[name]
    title, blocks = html_sections(html)
    assert (title, [tuple(b) for b in blocks]) == (expected[0], [tuple(b) for b in expected[1]])


def test_nesting_deeper_than_libxml2_builds_trees():
    # libxml2 stops building a tree 2048 levels down; the page read from parser events goes on
    html = "<html><body><h2>Deep</h2>" + "<div>" * 3000 + "Direct text in the deepest div, long enough<p>deep para</p>" + "</div>" * 3000 + "<p>after</p></body></html>"
    assert html_sections(html) == (None, [('heading', 'Deep', ()), ('paragraph', 'Direct text in the deepest div, long enough', ('Deep',)), ('paragraph', 'deep para', ('Deep',)), ('paragraph', 'after', ('Deep',))])


def test_lone_surrogates_become_replacement_characters():
    # once refused with a UnicodeEncodeError, which crashed the run (a page served as UTF-7)
    assert html_sections("<p>\ud800 lone surrogate</p>") == (None, [("paragraph", "\ufffd lone surrogate", ())])
