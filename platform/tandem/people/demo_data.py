"""The demo organisation's people: 40 people, 5 teams, three levels of managers, one HR admin."""

from __future__ import annotations

# email local part, name, title, team, manager local part, role
DEMO_PEOPLE: list[tuple[str, str, str, str, str, str]] = [
    ("maya.chen", "Maya Chen", "Chief Executive Officer", "People Ops", "", "employee"),
    ("harper.hughes", "Harper Hughes", "HR Business Partner", "People Ops", "maya.chen", "hr_admin"),
    ("omar.haddad", "Omar Haddad", "VP Engineering", "Platform", "maya.chen", "employee"),
    ("grace.okafor", "Grace Okafor", "VP Product & Design", "Product", "maya.chen", "employee"),
    ("lena.fischer", "Lena Fischer", "Engineering Manager, Platform", "Platform", "omar.haddad", "employee"),
    ("raj.patel", "Raj Patel", "Engineering Manager, Data", "Data", "omar.haddad", "employee"),
    ("sofia.rossi", "Sofia Rossi", "Group Product Manager", "Product", "grace.okafor", "employee"),
    ("kenji.watanabe", "Kenji Watanabe", "Design Lead", "Design", "grace.okafor", "employee"),
    ("sam.rivera", "Sam Rivera", "Software Engineer", "Platform", "lena.fischer", "employee"),
    ("aisha.bello", "Aisha Bello", "Senior Software Engineer", "Platform", "lena.fischer", "employee"),
    ("tom.becker", "Tom Becker", "Site Reliability Engineer", "Platform", "lena.fischer", "employee"),
    ("nina.kowalski", "Nina Kowalski", "Software Engineer", "Platform", "lena.fischer", "employee"),
    ("diego.santos", "Diego Santos", "Staff Engineer", "Platform", "lena.fischer", "employee"),
    ("priya.nair", "Priya Nair", "Software Engineer II", "Platform", "lena.fischer", "employee"),
    ("lucas.martin", "Lucas Martin", "Junior Software Engineer", "Platform", "lena.fischer", "employee"),
    ("fatima.zahra", "Fatima Zahra", "Data Engineer", "Data", "raj.patel", "employee"),
    ("ben.carter", "Ben Carter", "Senior Data Scientist", "Data", "raj.patel", "employee"),
    ("yuki.tanaka", "Yuki Tanaka", "Analytics Engineer", "Data", "raj.patel", "employee"),
    ("olga.ivanova", "Olga Ivanova", "Machine Learning Engineer", "Data", "raj.patel", "employee"),
    ("kwame.mensah", "Kwame Mensah", "Data Analyst", "Data", "raj.patel", "employee"),
    ("chloe.dubois", "Chloé Dubois", "Data Scientist", "Data", "raj.patel", "employee"),
    ("arjun.mehta", "Arjun Mehta", "Product Manager", "Product", "sofia.rossi", "employee"),
    ("emma.wilson", "Emma Wilson", "Senior Product Manager", "Product", "sofia.rossi", "employee"),
    ("jonas.berg", "Jonas Berg", "Product Analyst", "Product", "sofia.rossi", "employee"),
    ("leila.karimi", "Leila Karimi", "Associate Product Manager", "Product", "sofia.rossi", "employee"),
    ("marco.bianchi", "Marco Bianchi", "Technical Product Manager", "Product", "sofia.rossi", "employee"),
    ("hana.kim", "Hana Kim", "Product Designer", "Design", "kenji.watanabe", "employee"),
    ("oscar.lindqvist", "Oscar Lindqvist", "Senior Product Designer", "Design", "kenji.watanabe", "employee"),
    ("zoe.adams", "Zoe Adams", "UX Researcher", "Design", "kenji.watanabe", "employee"),
    ("ivan.petrov", "Ivan Petrov", "Content Designer", "Design", "kenji.watanabe", "employee"),
    ("amara.obi", "Amara Obi", "Visual Designer", "Design", "kenji.watanabe", "employee"),
    ("noah.schmidt", "Noah Schmidt", "Design Technologist", "Design", "kenji.watanabe", "employee"),
    ("rosa.garcia", "Rosa Garcia", "People Partner", "People Ops", "harper.hughes", "employee"),
    ("liam.oconnor", "Liam O'Connor", "Talent Development Lead", "People Ops", "harper.hughes", "employee"),
    ("mei.lin", "Mei Lin", "Recruiter", "People Ops", "harper.hughes", "employee"),
    ("david.cohen", "David Cohen", "Senior Software Engineer", "Platform", "diego.santos", "employee"),
    ("sara.nilsson", "Sara Nilsson", "Software Engineer", "Platform", "diego.santos", "employee"),
    ("ali.hassan", "Ali Hassan", "Data Engineer", "Data", "ben.carter", "employee"),
    ("julia.novak", "Julia Novak", "Product Designer", "Design", "oscar.lindqvist", "employee"),
    ("ethan.brooks", "Ethan Brooks", "Product Manager", "Product", "emma.wilson", "employee"),
]

DEMO_DOMAIN = "example.com"


def demo_csv() -> str:
    lines = ["email,name,title,team,manager_email,role"]
    for local, name, title, team, manager, role in DEMO_PEOPLE:
        manager_email = f"{manager}@{DEMO_DOMAIN}" if manager else ""
        lines.append(f'{local}@{DEMO_DOMAIN},"{name}","{title}",{team},{manager_email},{role}')
    return "\n".join(lines) + "\n"


# Who to sign in as to walk each role's journeys (README lists the same).
DEMO_LOGINS = [
    ("HR admin", f"harper.hughes@{DEMO_DOMAIN}"),
    ("Top manager (CEO)", f"maya.chen@{DEMO_DOMAIN}"),
    ("Manager of managers", f"omar.haddad@{DEMO_DOMAIN}"),
    ("Team manager", f"lena.fischer@{DEMO_DOMAIN}"),
    ("Employee", f"sam.rivera@{DEMO_DOMAIN}"),
]
