"""Word lists for the synthetic data: names of countries, people, brands, and sentence parts.

Kept apart from the generator so that the generator reads as the data model it fills. The
lists are fixed tuples (never sets, never sorted at run time): their order is part of what
makes the output reproducible byte for byte.
"""

from __future__ import annotations

#: Synthetic countries: real ISO 3166-1 alpha-2 codes not in data/geography.ttl, so that every
#: code is valid, with English and Italian names. Their regions get ISO-like codes XX-Rnn.
COUNTRIES: tuple[tuple[str, str, str], ...] = (
    ("DE", "Germany", "Germania"),
    ("NL", "Netherlands", "Paesi Bassi"),
    ("PT", "Portugal", "Portogallo"),
    ("PL", "Poland", "Polonia"),
    ("JP", "Japan", "Giappone"),
    ("KR", "South Korea", "Corea del Sud"),
    ("SE", "Sweden", "Svezia"),
    ("AT", "Austria", "Austria"),
    ("BE", "Belgium", "Belgio"),
    ("FI", "Finland", "Finlandia"),
    ("DK", "Denmark", "Danimarca"),
    ("IE", "Ireland", "Irlanda"),
    ("CZ", "Czechia", "Cechia"),
    ("SI", "Slovenia", "Slovenia"),
    ("HR", "Croatia", "Croazia"),
    ("HU", "Hungary", "Ungheria"),
    ("RO", "Romania", "Romania"),
    ("BG", "Bulgaria", "Bulgaria"),
    ("SK", "Slovakia", "Slovacchia"),
    ("LT", "Lithuania", "Lituania"),
    ("EE", "Estonia", "Estonia"),
    ("LV", "Latvia", "Lettonia"),
    ("US", "United States", "Stati Uniti"),
    ("CA", "Canada", "Canada"),
    ("BR", "Brazil", "Brasile"),
    ("IN", "India", "India"),
    ("SG", "Singapore", "Singapore"),
    ("IL", "Israel", "Israele"),
    ("CH", "Switzerland", "Svizzera"),
    ("NO", "Norway", "Norvegia"),
    ("TR", "Turkey", "Turchia"),
    ("MX", "Mexico", "Messico"),
    ("AU", "Australia", "Australia"),
    ("VN", "Vietnam", "Vietnam"),
    ("TH", "Thailand", "Thailandia"),
    ("MA", "Morocco", "Marocco"),
    ("EG", "Egypt", "Egitto"),
    ("AR", "Argentina", "Argentina"),
    ("CL", "Chile", "Cile"),
    ("ZA", "South Africa", "Sudafrica"),
)

#: Consonant-vowel syllables; brands and place names are 2-4 of them, picked by a bijection of
#: a counter so that names never repeat.
ONSETS: tuple[str, ...] = (
    "b", "c", "d", "f", "g", "l", "m", "n", "p", "r",
    "s", "t", "v", "z", "br", "tr", "st", "gr", "pl", "cr",
)  # fmt: skip
VOWELS: tuple[str, ...] = ("a", "e", "i", "o", "u")
SYLLABLES: tuple[str, ...] = tuple(o + v for o in ONSETS for v in VOWELS)  # 100

FIRST_NAMES: tuple[str, ...] = (
    "Alessandro", "Giulia", "Marco", "Francesca", "Luca", "Chiara", "Matteo", "Sara",
    "Giovanni", "Elena", "Paolo", "Laura", "Andrea", "Valentina", "Stefano", "Martina",
    "Roberto", "Silvia", "Davide", "Federica", "Wei", "Li", "Hui", "Jun", "Ming", "Xiu",
    "Ana", "Javier", "Iker", "Nerea", "Jon", "Maite", "Claire", "Julien", "Camille",
    "Mathieu", "Eleni", "Nikos", "Maria", "Dimitris", "Anna", "Lukas", "Sophie", "Jonas",
    "Emma", "Pieter", "Sanne", "Joao", "Ines", "Piotr", "Kasia", "Hiro", "Yuki", "Minjun",
    "Seoyeon", "Erik", "Astrid", "Olivia", "Noah", "Ravi",
)  # fmt: skip
SURNAMES: tuple[str, ...] = (
    "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci",
    "Marino", "Greco", "Bruno", "Gallo", "Conti", "De Luca", "Mancini", "Costa", "Giordano",
    "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro", "Mariani", "Rinaldi",
    "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli",
    "Vitale", "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti", "Parisi",
    "Villa", "Conte", "Ferraro", "Ferri", "Fabbri", "Bianco", "Marini", "Grasso", "Valentini",
    "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun", "Ma",
    "Garcia", "Etxeberria", "Aguirre", "Lopez", "Martinez", "Urrutia", "Dubois", "Martin",
    "Bernard", "Moreau", "Laurent", "Papadopoulos", "Georgiou", "Nikolaidis", "Ioannou",
    "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "De Jong", "Jansen", "Visser",
    "Silva", "Santos", "Ferreira", "Nowak", "Kowalski", "Tanaka", "Suzuki", "Sato", "Kim",
    "Lee", "Park", "Andersson", "Johansson", "Nielsen", "Murphy", "Novak",
)  # fmt: skip
INITIALS: tuple[str, ...] = tuple("ABCDEFGHILMNOPRSTUVZ")

#: Company descriptors, English and Italian, and the sector concept slug each suggests.
DESCRIPTORS: tuple[tuple[str, str, str], ...] = (
    ("Robotics", "Robotica", "robotics"),
    ("AI Labs", "Laboratori IA", "artificial-intelligence"),
    ("Digital", "Digitale", "digital-transformation"),
    ("Aerospace", "Aerospazio", "aerospace"),
    ("Biotech", "Biotecnologie", "biotechnology"),
    ("Health", "Salute", "health"),
    ("Foods", "Alimentare", "agrifood"),
    ("Energy", "Energia", "energy"),
    ("Hydrogen", "Idrogeno", "hydrogen"),
    ("Mobility", "Mobilità", "automotive"),
    ("Studio", "Studio", "design"),
    ("Media", "Media", "audiovisual"),
    ("Secure", "Sicurezza", "cybersecurity"),
    ("Quantum", "Quantistica", "quantum-computing"),
    ("Cloud", "Cloud", "cloud-storage"),
    ("Factory", "Fabbrica", "smart-manufacturing"),
    ("Heritage", "Patrimonio", "cultural-heritage"),
    ("Space", "Spazio", "earth-observation"),
)
LEGAL_FORMS: dict[str, str] = {
    "IT": "S.r.l.",
    "DE": "GmbH",
    "AT": "GmbH",
    "CH": "AG",
    "FR": "SAS",
    "ES": "S.L.",
    "NL": "B.V.",
    "BE": "NV",
    "PT": "Lda.",
    "PL": "sp. z o.o.",
    "CN": "Co., Ltd.",
    "JP": "K.K.",
    "KR": "Co., Ltd.",
    "US": "Inc.",
    "GR": "S.A.",
}
FIELDS: tuple[tuple[str, str], ...] = (
    ("Advanced Materials", "Materiali Avanzati"),
    ("Microelectronics", "Microelettronica"),
    ("Photonics", "Fotonica"),
    ("Applied Mathematics", "Matematica Applicata"),
    ("Bioengineering", "Bioingegneria"),
    ("Climate Science", "Scienze del Clima"),
    ("Computing", "Informatica"),
    ("Mechatronics", "Meccatronica"),
)
MONTHS_IT: tuple[str, ...] = (
    "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
    "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre",
)  # fmt: skip
PUBLISHERS: tuple[str, ...] = (
    "Corriere dell'Innovazione",
    "Il Giornale delle Regioni",
    "Notiziario dei Distretti",
    "Rassegna Cluster",
    "Gazzetta della Ricerca",
    "Quotidiano dell'Impresa",
)
ROLE_WORDS: dict[str, str] = {
    "president": "presidente",
    "vice-mayor": "vicesindaco",
    "project-manager": "responsabile di progetto",
    "sole-director": "amministratore unico",
    "head-of-department": "direttore del dipartimento",
    "head": "alla guida",
    "researcher": "ricercatore",
    "delegate": "delegato",
    "author": "autore",
    "head-of-state": "capo di Stato",
}
#: Filler sentences that make a source text read like an article between the quoted facts.
FILLER: tuple[str, ...] = (
    "L'iniziativa rientra in un percorso di collaborazione avviato da alcuni anni.",
    "Gli organizzatori hanno sottolineato il valore dello scambio di competenze.",
    "Nel corso della giornata si sono svolti incontri bilaterali tra imprese e centri di ricerca.",
    "I partecipanti hanno discusso di trasferimento tecnologico e di nuove filiere.",
    "La cooperazione internazionale resta una priorità della strategia regionale.",
    "Sono previsti ulteriori appuntamenti nei prossimi mesi.",
    "Il programma ha incluso visite a laboratori e a incubatori di impresa.",
    "Le istituzioni locali hanno espresso soddisfazione per i risultati ottenuti.",
)
