"""Words synthetic people are made of: names, departments with their titles, areas and goals (data only)."""

from __future__ import annotations

from dataclasses import dataclass


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FIRST_NAMES = _words(
    "Aaliyah Aaron Abdul Ada Adrian Agnes Ahmed Aiko Aisha Alba Alejandro Alexei Alice Alma Amara Amir Ana "
    "Anders Andrea Anika Anton Arjun Astrid Aurora Ayesha Barbara Beatriz Ben Bianca Boris Bruno Camila "
    "Carlos Carmen Chen Chiara Chloe Chidi Clara Daniel Dara David Deepa Diego Dmitri Ebony Eduardo Elena "
    "Elif Elijah Emeka Emil Emma Erik Esther Ethan Fatima Felix Fern Finn Fiona Gabriel Grace Hana Hannah "
    "Hassan Helena Hugo Ibrahim Ida Ines Ingrid Isaac Isabel Ivan Jack Jada Jamal James Jana Javier Jin "
    "Joao Johan Jonas Jorge Julia Kai Kaito Karin Kate Kemal Kenji Kiara Kofi Lars Laura Layla Lea Leila "
    "Leon Liam Lina Lucas Lucia Luis Maeve Mai Malik Marco Maria Marta Mateo Maya Mei Mia Miguel Mika "
    "Mohammed Nadia Naomi Nia Nikhil Nina Noah Nora Olga Oliver Omar Oscar Paolo Pedro Petra Priya Rafael "
    "Rahul Raj Rania Rosa Ruth Ryan Sakura Samir Sana Sara Sebastian Selin Seo-yeon Sofia Sven Tariq "
    "Tessa Theo Tomas Uma Valentina Vera Victor Wei Xavier Yara Yusuf Yuki Zainab Zara Zoe Ahmad Beatrix "
    "Cyrus Dalia Eamon Farah Gustav Hiro Imani Joon Kwame Lorenzo Marisol Nils Ola Pilar Quinn Reza "
    "Soren Thandi Ulla Wanjiru Ximena Yosef Zeynep"
)

LAST_NAMES = _words(
    "Abe Adams Adeyemi Ahmed Ali Almeida Andersen Aoki Bakker Banerjee Barros Becker Bello Berg Bianchi "
    "Brooks Brown Campbell Carter Castro Chen Cho Cohen Costa Cruz Dahl Das Dubois Edwards Eriksson Evans "
    "Fernandes Fischer Fleming Fontaine Garcia Gomez Gonzalez Gupta Haddad Hansen Harris Hassan Hoffmann "
    "Horvat Hughes Ibrahim Ito Ivanova Jackson Jansen Jensen Johansson Jones Kahn Kaur Khan Kim Kowalski "
    "Kruger Kumar Larsen Laurent Lee Lehmann Lima Lindqvist Lopez Martin Martins Mehta Mendes Mensah "
    "Meyer Miller Mohamed Moreau Morris Muller Murphy Nakamura Nair Navarro Nguyen Nielsen Novak Nowak "
    "Obi Okafor Okonkwo Oliveira Olsen Ortiz Osei Park Patel Pereira Petrov Phillips Popescu Ramos Rao "
    "Reddy Reyes Ribeiro Richter Rivera Roberts Rodriguez Romano Rossi Sato Schmidt Schneider Shah Silva "
    "Singh Smith Sokolov Santos Suzuki Svensson Tan Tanaka Taylor Thomas Torres Tran Varga Vargas Wagner "
    "Walker Wang Watanabe Weber Wilson Wong Wright Yamamoto Yang Yilmaz Young Zhang Zhou Zimmermann "
    "Abara Bergstrom Chowdhury Delgado Eze Farouk Gallagher Haugen Iyer Jovanovic Kariuki Lindgren Moyo "
    "Ndlovu Oyelaran Pham Quintero Rahman Sandoval Toivonen Umarov Valdez Wojcik Xu Yildiz Zubiri"
)

CODENAMES = _words(
    "Falcon Orion Atlas Nova Comet Aurora Cedar Delta Ember Fjord Granite Harbor Iris Juniper Kestrel "
    "Lumen Maple Nimbus Onyx Pioneer Quartz Raven Summit Tidal Umbra Vega Willow Zephyr Beacon Cobalt "
    "Dune Echo Flint Glacier Helix Indigo Jade Kite Lotus Meridian Nebula Opal Pulsar Quill Ridge Sierra "
    "Tundra Vertex Aspen Birch Coral Drift Everest Forge Grove Halo Isle Jasper"
)


@dataclass(frozen=True)
class Metric:
    """A numeric goal shape: the title says the target; values move from start to target."""

    title: str  # formatted with {target} and {area}
    metric: str
    unit: str
    start: float
    target: float
    step: float  # values are multiples of this (1 for counts, 0.1 for rates...)


@dataclass(frozen=True)
class Department:
    name: str
    head_title: str
    manager_title: str
    # Skill categories of learning.taxonomy (and skill_list) its people need.
    categories: tuple[str, ...]
    # Individual-contributor titles, junior to senior, with how common each is.
    ladder: tuple[tuple[str, int], ...]
    areas: tuple[str, ...]
    metrics: tuple[Metric, ...]
    objectives: tuple[str, ...]


_GENERIC_METRICS = (
    Metric("Cut my weekly context switches to {target:g}", "context switches per week", "switches", 15, 6, 1),
    Metric("Hold {target:g} knowledge-sharing sessions for {area}", "sessions held", "sessions", 0, 6, 1),
)

DEPARTMENTS: tuple[Department, ...] = (
    Department(
        "Engineering",
        "VP Engineering",
        "Engineering Manager",
        ("Engineering", "Infrastructure & operations", "Security"),
        (
            ("Junior Software Engineer", 2),
            ("Software Engineer", 6),
            ("Software Engineer II", 5),
            ("Senior Software Engineer", 5),
            ("Site Reliability Engineer", 2),
            ("QA Engineer", 1),
            ("Staff Engineer", 1),
        ),
        (
            "Payments",
            "Checkout",
            "Search",
            "Identity",
            "Platform",
            "Billing",
            "Mobile",
            "Web",
            "Observability",
            "Developer Experience",
            "Infrastructure",
            "Notifications",
            "Integrations",
            "Reliability",
            "API",
            "Core Services",
            "Messaging",
            "Storage",
        ),
        (
            Metric("Cut p95 latency of {area} to {target:g} ms", "p95 latency", "ms", 420, 200, 5),
            Metric("Raise test coverage of {area} to {target:g}%", "line coverage", "%", 55, 80, 1),
            Metric("Cut the {area} build to {target:g} minutes", "median build time", "min", 24, 10, 1),
            Metric("Close {target:g} reliability tickets in {area}", "tickets closed", "tickets", 0, 20, 1),
            Metric(
                "Reach {target:g}% availability for {area}", "monthly availability", "%", 99.5, 99.95, 0.01
            ),
        ),
        (
            "Make {area} the most dependable part of our product",
            "Ship the next generation of {area}",
            "Halve the cost of running {area}",
        ),
    ),
    Department(
        "Sales",
        "VP Sales",
        "Sales Manager",
        ("Sales", "Communication"),
        (
            ("Sales Development Representative", 5),
            ("Account Executive", 6),
            ("Senior Account Executive", 3),
            ("Solutions Engineer", 2),
            ("Sales Operations Analyst", 1),
            ("Enterprise Account Director", 1),
        ),
        (
            "EMEA",
            "North America",
            "APAC",
            "Enterprise",
            "Mid-Market",
            "SMB",
            "Public Sector",
            "Partners",
            "DACH",
            "Nordics",
            "LATAM",
            "Benelux",
        ),
        (
            Metric("Close {target:g}k of new annual revenue in {area}", "new ARR", "k EUR", 0, 400, 5),
            Metric(
                "Book {target:g} qualified meetings in {area}", "qualified meetings", "meetings", 0, 60, 1
            ),
            Metric("Raise my win rate in {area} to {target:g}%", "win rate", "%", 18, 30, 1),
        ),
        ("Grow {area} revenue by 30% this year", "Win the ten largest accounts in {area}"),
    ),
    Department(
        "People Operations",
        "VP People",
        "People Operations Manager",
        ("People operations", "People leadership"),
        (
            ("People Operations Coordinator", 2),
            ("Recruiter", 4),
            ("Senior Recruiter", 2),
            ("HR Generalist", 2),
            ("People Partner", 3),
            ("Learning & Development Specialist", 2),
        ),
        (
            "Talent Acquisition",
            "People Partnering",
            "Learning",
            "Total Rewards",
            "People Systems",
            "Onboarding",
        ),
        (
            Metric(
                "Cut median time to hire in {area} to {target:g} days",
                "median days to hire",
                "days",
                48,
                32,
                1,
            ),
            Metric("Run {target:g} manager trainings", "trainings run", "trainings", 0, 12, 1),
            Metric(
                "Raise onboarding satisfaction to {target:g}", "onboarding score", "points", 6.8, 8.5, 0.1
            ),
        ),
        ("Every manager holds monthly growth conversations", "Make {area} a reason people join us"),
    ),
    Department(
        "Product",
        "VP Product",
        "Group Product Manager",
        ("Product", "Communication"),
        (
            ("Associate Product Manager", 2),
            ("Product Manager", 5),
            ("Senior Product Manager", 3),
            ("Technical Product Manager", 2),
            ("Product Analyst", 2),
            ("Principal Product Manager", 1),
        ),
        ("Onboarding", "Growth", "Payments", "Insights", "Collaboration", "Mobile", "Admin", "Marketplace"),
        (
            Metric("Lift {area} activation to {target:g}%", "activation rate", "%", 42, 60, 1),
            Metric("Interview {target:g} customers about {area}", "interviews done", "interviews", 0, 24, 1),
            Metric("Cut time to first value in {area} to {target:g} days", "median days", "days", 6, 2, 1),
        ),
        ("Make {area} the easiest way to get started", "Double weekly active teams in {area}"),
    ),
    Department(
        "Customer Success",
        "VP Customer Success",
        "Customer Success Lead",
        ("Customer success", "Communication"),
        (
            ("Customer Support Specialist", 6),
            ("Support Engineer", 3),
            ("Onboarding Specialist", 2),
            ("Customer Success Manager", 4),
            ("Senior Customer Success Manager", 2),
        ),
        ("Enterprise Care", "Tier 1 Support", "Tier 2 Support", "Onboarding", "Renewals", "Community"),
        (
            Metric("Raise CSAT in {area} to {target:g}%", "CSAT", "%", 86, 93, 1),
            Metric(
                "Cut first response time to {target:g} minutes", "median first response", "min", 45, 15, 1
            ),
            Metric("Renew {target:g}% of my {area} accounts", "gross retention", "%", 85, 95, 1),
        ),
        ("Reach 95% customer retention", "Answer every {area} ticket within an hour"),
    ),
    Department(
        "Marketing",
        "VP Marketing",
        "Marketing Manager",
        ("Marketing", "Communication"),
        (
            ("Marketing Specialist", 3),
            ("Content Marketing Manager", 2),
            ("Product Marketing Manager", 2),
            ("Growth Marketer", 2),
            ("Brand Designer", 1),
        ),
        ("Brand", "Demand Generation", "Content", "Product Marketing", "Events", "Lifecycle"),
        (
            Metric("Generate {target:g} marketing-qualified leads from {area}", "MQLs", "leads", 0, 900, 10),
            Metric("Publish {target:g} long-form articles", "articles published", "articles", 0, 18, 1),
            Metric("Raise the {area} conversion rate to {target:g}%", "conversion rate", "%", 2.1, 3.5, 0.1),
        ),
        ("Make us the best-known name in our category", "Fill the pipeline for next year from {area}"),
    ),
    Department(
        "Data",
        "VP Data",
        "Data Science Manager",
        ("Data",),
        (
            ("Data Analyst", 4),
            ("Analytics Engineer", 2),
            ("Data Engineer", 3),
            ("Data Scientist", 3),
            ("Senior Data Scientist", 2),
            ("Machine Learning Engineer", 2),
        ),
        ("Analytics", "Data Platform", "Machine Learning", "Experimentation", "BI", "Data Quality"),
        (
            Metric("Raise churn model recall to {target:g}%", "recall at 10% precision", "%", 52, 70, 1),
            Metric(
                "Cut the nightly {area} pipeline to {target:g} minutes", "pipeline runtime", "min", 95, 45, 1
            ),
            Metric("Ship {target:g} self-serve dashboards", "dashboards shipped", "dashboards", 0, 10, 1),
        ),
        ("Every decision in {area} is backed by data", "Make experimentation a habit across the company"),
    ),
    Department(
        "Design",
        "VP Design",
        "Design Manager",
        ("Design",),
        (
            ("Product Designer", 5),
            ("Senior Product Designer", 3),
            ("UX Researcher", 2),
            ("Content Designer", 2),
            ("Visual Designer", 1),
        ),
        ("Design System", "Research", "Onboarding UX", "Mobile UX", "Brand Experience"),
        (
            Metric("Raise the {area} usability score to {target:g}", "SUS score", "points", 68, 85, 1),
            Metric("Run {target:g} usability sessions", "sessions run", "sessions", 0, 12, 1),
            Metric("Ship {target:g} redesigned screens", "screens shipped", "screens", 0, 14, 1),
        ),
        ("A calmer first week in the app", "One design language across every product"),
    ),
    Department(
        "Finance",
        "Chief Financial Officer",
        "Finance Manager",
        ("Finance & legal",),
        (("Accountant", 3), ("Senior Accountant", 2), ("Financial Analyst", 3), ("Payroll Specialist", 1)),
        ("Accounting", "FP&A", "Payroll", "Procurement", "Tax"),
        (
            Metric("Close the books in {target:g} working days", "days to close", "days", 9, 5, 1),
            Metric("Cut unreconciled items to {target:g}", "unreconciled items", "items", 120, 20, 1),
        ),
        ("A monthly close everyone trusts", "Forecasts within 5% of actuals"),
    ),
    Department(
        "Operations",
        "VP Operations",
        "Operations Manager",
        ("Project & operations",),
        (("Project Coordinator", 2), ("Operations Analyst", 3), ("Program Manager", 2)),
        ("Business Operations", "Workplace", "Vendor Management", "Programs"),
        (
            Metric("Cut vendor onboarding to {target:g} days", "median onboarding days", "days", 21, 7, 1),
            Metric("Automate {target:g} manual processes", "processes automated", "processes", 0, 8, 1),
        ),
        ("Run the company on fewer, better processes",),
    ),
    Department(
        "Legal",
        "General Counsel",
        "Legal Operations Manager",
        ("Finance & legal", "Security"),
        (("Paralegal", 2), ("Compliance Analyst", 2), ("Legal Counsel", 2)),
        ("Commercial Legal", "Compliance", "Privacy"),
        (
            Metric("Cut contract turnaround to {target:g} days", "median turnaround", "days", 12, 5, 1),
            Metric("Complete {target:g} compliance reviews", "reviews done", "reviews", 0, 10, 1),
        ),
        ("Contracts never slow down a deal",),
    ),
    Department(
        "Security",
        "Chief Information Security Officer",
        "Security Manager",
        ("Security", "Infrastructure & operations"),
        (("Security Analyst", 3), ("Security Engineer", 3), ("GRC Specialist", 1)),
        ("Security Operations", "Application Security", "GRC", "Identity"),
        (
            Metric(
                "Cut mean time to remediate to {target:g} days", "mean days to remediate", "days", 30, 10, 1
            ),
            Metric("Threat-model {target:g} services", "services modelled", "services", 0, 15, 1),
        ),
        ("Pass our SOC 2 audit with no findings",),
    ),
)

# People answer this department's questions, the head of it is the HR admin.
PEOPLE_DEPARTMENT = "People Operations"

GENERIC_METRICS = _GENERIC_METRICS

GROWTH_PATTERNS = (
    "Become the go-to person for {topic}",
    "Grow into leading {topic} work",
    "Reach advanced level in {topic}",
    "Get better at {topic}",  # vague on purpose: the SMART check flags some goals, as in life
)
# (title, numeric?, target): a growth goal's milestones.
MILESTONES = (
    ("Finish the {target:g} modules of a {topic} course", True, 8),
    ("Pair with an expert on {topic} {target:g} times", True, 6),
    ("Give a team talk on {topic}", False, 0),
    ("Write a how-to guide on {topic}", False, 0),
    ("Lead a {topic} piece of work end to end", False, 0),
)
CHECKIN_NOTES = (
    "Steady week",
    "Blocked on a review, caught up on Friday",
    "Good progress after pairing",
    "Less time than planned: on-call week",
    "Measured again after the release",
    "Back on track",
    "Small step, but a step",
    "Customer escalation took most of the week",
    "Great week, ahead of plan",
    "",
)
TASKS = (
    ("Block two focus hours a week", False, True),
    ("Book a review with my manager", True, True),
    ("Collect a baseline measurement", True, True),
    ("Read the team's past write-ups", False, True),
    ("Update the tracking dashboard", True, False),
    ("Ask a peer for feedback", False, True),
    ("Draft the plan in a doc", True, True),
)
OBSTACLES = (
    ("On-call weeks leave little focus time", "Swap the focus block to the week after on-call"),
    ("Depends on another team's review", "Agree a review slot up front; escalate after 3 days"),
    ("The baseline data may be incomplete", "Start with last month's sample and note the gap"),
    ("Key customer contact is changing jobs", "Meet their successor early"),
)
