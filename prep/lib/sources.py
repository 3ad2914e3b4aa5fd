"""The source documents in ../shared/seeds/ that questions and rubrics are drawn from.

Provenance is a file name plus one of that document's section headings, so that a reader can
find the passage a question was drawn from.
"""

from dataclasses import dataclass

from django.utils.text import slugify


@dataclass(frozen=True)
class Document:
    file: str
    title: str
    summary: str  # in our own words: the page of sources shows it, never the document's text
    sections: tuple[str, ...]


def anchor(file: str, section: str) -> str:
    """The id of a section on the sources page: "s002-key-skills-for-success"."""
    return f"s{file.split('_', 1)[0]}-{slugify(section)}"


def citation(file: str, section: str) -> str:
    """A citation a person can read: "The TikTok PM internship — Key Skills for Success"."""
    doc = DOCUMENTS.get(file)
    return f"{doc.title if doc else file} — {section}" if section else (doc.title if doc else file)


DOCUMENTS: dict[str, Document] = {
    doc.file: doc
    for doc in (
        Document(
            "000_4e59fc754dd692e4.txt",
            "The PM role at TikTok: responsibilities and skills",
            "What a TikTok product manager does day to day, and the skills the job asks for.",
            (
                "Understanding the Role",
                "Key Responsibilities",
                "Essential Skills",
                "Career Path and Growth",
            ),
        ),
        Document(
            "001_8d49a9cb289e97db.txt",
            "TikTok PM: mastering product management in the short-video era",
            (
                "A long guide to product work at TikTok: the parts of the product, how the "
                "interview loop runs, sample questions and how to prepare."
            ),
            (
                "TikTok PM: A New Frontier in Product Management",
                "The TikTok Ecosystem: A Product Manager's Playground",
                "Content Curation & Algorithm",
                "Creator Tools & Monetization",
                "Community & Social Features",
                "Global Expansion & Localization",
                "Cracking the Code: The TikTok PM Interview Process",
                "Reviewing the Interview Journey",
                "Practice Makes Perfect: Example Questions",
                "Key Preparation Tips for Success",
                "What to Be Aware Of for PM TikTok Content",
                "Influential Figures and Community Engagement: A PM Perspective",
                "The Future of Product Management on TikTok",
            ),
        ),
        Document(
            "002_b3fd1c5d49470f5d.txt",
            "The TikTok PM internship",
            (
                "What a TikTok PM internship involves, the skills that matter in it, and how "
                "to get ready."
            ),
            (
                "Understanding the Role",
                "Key Skills for Success",
                "Preparing for the Internship",
                "Career Benefits",
            ),
        ),
        Document(
            "003_625c3301e25c3911.txt",
            "Preparing for a TikTok Product Marketing Manager interview",
            (
                "A guide to the product-marketing interview drawn from hiring debriefs: what "
                "interviewers look for, the case-study formats, and the mistakes that sink "
                "candidates."
            ),
            (
                "TL;DR",
                "Who This Is For",
                "What Does TikTok Look for in a PMM Candidate?",
                "How Many Rounds Are in the TikTok PMM Interview Process?",
                "What Types of Questions Are Asked in TikTok PMM Case Studies?",
                "How Should You Demonstrate Data Fluency in the Interview?",
                "Preparation Checklist",
                "Mistakes to Avoid",
                "Mistake 1: Focusing on Vanity Metrics",
                "Mistake 2: Ignoring the Product Lifecycle",
                "Mistake 3: Treating Marketing as Separate from Product",
                "FAQ",
            ),
        ),
        Document(
            "004_2c73b6a90a3dee30.txt",
            "Life as a TikTok social media manager",
            (
                "A candid account of running brand accounts on TikTok: the analytics, the "
                "speed of trends, and the pressure to show business results."
            ),
            (
                "The Perceived Glamour of TikTok Management",
                "The Hidden Data Side",
                "The Relentless Timeline",
                "The Pressure to Perform",
                "The Business Reality",
                "TikTok Manager Reality Check",
            ),
        ),
    )
}

DOCUMENT_CHOICES = [(doc.file, f"{doc.file} ({doc.title})") for doc in DOCUMENTS.values()]


def source_problem(file: str, section: str) -> str | None:
    """Why (file, section) is not a valid citation, or None when it is."""
    if not file:
        return "source document is missing"
    doc = DOCUMENTS.get(file)
    if doc is None:
        return f"unknown source document {file!r}"
    if not section:
        return f"source section is missing for {file}"
    if section not in doc.sections:
        return f"{file} has no section {section!r}"
    return None
