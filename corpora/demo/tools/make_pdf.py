"""Write corpora/demo/chen/chen-platform.pdf, Grace Chen's (fictional) platform PDF.

The text of the PDF lives in this file. Regenerate with:

    python corpora/demo/tools/make_pdf.py

Needs reportlab. The output is byte-for-byte reproducible (reportlab's invariant mode).
"""
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Frame, ListFlowable, ListItem, PageTemplate, Paragraph, Spacer

OUT = Path(__file__).resolve().parent.parent / "chen" / "chen-platform.pdf"

TITLE = "Working Together: Grace Chen’s Plan for Port Aurelia"
SUBTITLE = "Grace Chen for Mayor · Port Aurelia 2013"
FOOTER = "Paid for by the Committee to Elect Grace Chen · 17 Mill Street, Port Aurelia, ZZ 00914"

# The document: a list of (kind, text) where kind is "h1", "p" or "ul" (text is then a list).
CONTENT = [
    ("h1", "A letter from Grace"),
    ("p", "Dear neighbor,"),
    ("p", "For twenty years I have worked to bring people together in Port Aurelia: as a public "
          "health nurse in Eastport and Northgate, as director of the Port Aurelia Neighborhood "
          "Alliance and, since 2009, as your District 4 city councilor. I have learned that the "
          "hardest problems in our city are the ones that no single organization can solve alone."),
    ("p", "Childhood asthma is a housing problem, a health problem and a school problem at once. "
          "Youth violence touches the police, the schools, the parks and the emergency room. Yet "
          "City Hall still works the way it did fifty years ago: each department on its own, each "
          "partnership an accident."),
    ("p", "This plan is about changing that. As mayor, I will bring everyone to the table — residents, "
          "businesses, universities, hospitals and nonprofits — and I will hold us all to results. "
          "Every promise below is one you can check me on."),
    ("p", "— Grace Chen"),

    ("h1", "1. Partnerships with our anchor institutions"),
    ("p", "Port Aurelia University, St. Brendan’s Hospital and Harbor Health Center employ one in "
          "six workers in our city. They want Port Aurelia to succeed, and City Hall should treat "
          "them as partners, not strangers."),
    ("ul", [
        "Sign a formal partnership agreement with Port Aurelia University within my first six months, "
        "creating a joint Urban Lab of faculty, students and city staff.",
        "Create a City Fellows program that places 20 graduate students in city departments every year.",
        "Convene a Health Roundtable with St. Brendan’s Hospital, Harbor Health Center and the school "
        "department to cut childhood asthma emergency room visits by 20 percent by 2017.",
        "Partner with the United Way of Port Aurelia and local nonprofits to run after-school programs "
        "in every middle school by fall 2015.",
        "Raise $3 million with local foundations for a Neighborhood Opportunity Fund for block "
        "associations and tenant groups.",
    ]),
    ("p", "We will leverage our anchor institutions to drive collective impact."),

    ("h1", "2. A region that works together"),
    ("p", "In 2012 Port Aurelia, Millbrook, Eastfield and Salt Harbor each ran a separate 911 dispatch "
          "center and each bought road salt on its own. Our residents paid for that four times over."),
    ("ul", [
        "Form a regional compact with Millbrook, Eastfield and Salt Harbor to share 911 dispatch and "
        "buy road salt and equipment together, saving an estimated $2 million a year.",
        "Work with the state Department of Transportation to rebuild the Route 9 interchange by 2017.",
        "Ask the state to join a workforce partnership with the Harbor Employers Council so that job "
        "training matches the jobs that are open.",
        "Work hand in hand with our neighbors throughout the region.",
    ]),

    ("h1", "3. Open government, built with you"),
    ("p", "The information that runs our city lives in some 400 spreadsheets across 30 departments. "
          "Residents should not have to file a public records request to learn when their street "
          "will be repaved."),
    ("ul", [
        "Publish all of the city’s non-confidential datasets on an open data portal by the end of 2014.",
        "Host a civic hackathon every spring with Code for Port Aurelia.",
        "Appoint a Chief Data Officer to make sure departments share information with each other and "
        "with the public.",
        "Create a Neighborhood Design Council in each of the nine districts to co-design parks, streets "
        "and other capital projects with city planners.",
        "Let residents of two districts decide, through participatory budgeting, how to spend $1 million "
        "of capital funds in 2015.",
    ]),
    ("p", "I believe the people closest to a problem are closest to its solution."),

    ("h1", "4. One City Hall, not thirty"),
    ("ul", [
        "Launch a cross-department task force on youth violence — police, schools, parks, public health "
        "and street workers at one table — that reports its progress publicly every month.",
        "Break down the silos at City Hall.",
    ]),

    ("h1", "5. Healthy, safe neighborhoods"),
    ("ul", [
        "Put a community health worker in every public housing development by 2016.",
        "Expand the city’s lead paint removal program to 500 homes a year.",
        "Expand Safe Passages to every middle school and high school.",
        "Build 1,000 units of affordable housing by 2018 with nonprofit developers and the state "
        "housing agency.",
    ]),

    ("h1", "6. Schools and opportunity"),
    ("ul", [
        "Open school buildings in the evenings as community centers, run with local nonprofits, "
        "starting with five schools in 2014.",
        "Work with Aurelia Community College and local employers to create the Port Aurelia Promise, "
        "paying the first two years of community college for every city high school graduate.",
        "Expand pre-kindergarten to every four-year-old whose family wants a seat.",
    ]),

    ("h1", "7. How we will keep score"),
    ("p", "A partnership is only as good as what it delivers. My administration will:"),
    ("ul", [
        "Publish a Working Together report every year listing each partnership the city has signed, "
        "what each partner committed and what it achieved.",
        "Report to the City Council every six months on progress toward each goal in this plan.",
    ]),
    ("p", "Questions or ideas? Write to plan@gracechen2013.example or come to a community design "
          "workshop. Join us — let’s get to work, together."),
]


def _styles():
    ss = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", parent=ss["Title"], fontName="Helvetica-Bold", fontSize=18,
                                leading=22, textColor=colors.HexColor("#2e7d6b")),
        "subtitle": ParagraphStyle("subtitle", parent=ss["Normal"], fontName="Helvetica-Oblique",
                                   fontSize=11, alignment=TA_CENTER, spaceAfter=14),
        "h1": ParagraphStyle("h1", parent=ss["Heading2"], fontName="Helvetica-Bold", fontSize=13.5,
                             leading=17, spaceBefore=10, spaceAfter=4, keepWithNext=1,
                             textColor=colors.HexColor("#25665a")),
        "p": ParagraphStyle("p", parent=ss["BodyText"], fontName="Helvetica", fontSize=10.5,
                            leading=14, spaceAfter=6),
        "li": ParagraphStyle("li", parent=ss["BodyText"], fontName="Helvetica", fontSize=10.5,
                             leading=14),
    }


def _page(canvas, doc):
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.setFillColor(colors.grey)
    canvas.drawString(0.9 * inch, 0.55 * inch, FOOTER)
    canvas.drawRightString(LETTER[0] - 0.9 * inch, 0.55 * inch, f"Page {doc.page}")
    canvas.restoreState()


def _bullet_font():
    # The standard Helvetica encoding has no mapping pypdf understands for "•" (it comes out as
    # \x7f), so bullets use Vera, a TrueType font shipped with reportlab, embedded with a ToUnicode map.
    pdfmetrics.registerFont(TTFont("Vera", "Vera.ttf"))
    return "Vera"


def _esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(out=OUT):
    st = _styles()
    bullet_font = _bullet_font()
    story = [Paragraph(_esc(TITLE), st["title"]), Paragraph(_esc(SUBTITLE), st["subtitle"])]
    for kind, text in CONTENT:
        if kind == "ul":
            items = [ListItem(Paragraph(_esc(t), st["li"]), leftIndent=14) for t in text]
            story.append(ListFlowable(items, bulletType="bullet", start="•", leftIndent=14,
                                      bulletFontName=bullet_font))
            story.append(Spacer(1, 6))
        else:
            story.append(Paragraph(_esc(text), st[kind]))
    out.parent.mkdir(parents=True, exist_ok=True)
    doc = BaseDocTemplate(str(out), pagesize=LETTER, title=TITLE, author="Committee to Elect Grace Chen",
                          subject="Fictional demo platform", creator="corpora/demo/tools/make_pdf.py",
                          leftMargin=0.9 * inch, rightMargin=0.9 * inch,
                          topMargin=0.8 * inch, bottomMargin=0.9 * inch, invariant=1)
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    # the footer is drawn at the end of each page, so text extraction reads it after the body
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=_page)])
    doc.build(story)
    return out


if __name__ == "__main__":
    print(build())
