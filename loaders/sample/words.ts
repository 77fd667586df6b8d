/** Word lists for synthetic names, contacts, notes and survey comments (all fictional). */

export const INDUSTRIES = [
  "Manufacturing",
  "Retail",
  "Software",
  "Healthcare",
  "Financial Services",
  "Logistics",
  "Education",
  "Professional Services",
] as const;
export type Industry = (typeof INDUSTRIES)[number];

export const REGIONS = ["North America", "EMEA", "APAC", "LATAM"] as const;
export type Region = (typeof REGIONS)[number];

export const CHANNELS = ["Direct Sales", "Partner", "Inbound", "Outbound", "Marketplace"] as const;
export type Channel = (typeof CHANNELS)[number];

export const NAME_PREFIXES = [
  "Northwind", "Blue Harbor", "Apex", "Silverline", "Ironleaf", "Brightpath", "Cedar", "Summit",
  "Keystone", "Redwood", "Granite", "Lakeshore", "Evergreen", "Pioneer", "Horizon", "Meridian",
  "Oakridge", "Riverstone", "Sterling", "Vantage", "Crescent", "Falcon", "Harbor Point", "Juniper",
  "Kestrel", "Lighthouse", "Maple", "Nimbus", "Orion", "Pinnacle", "Quarry", "Rockwell", "Sapphire",
  "Tidewater", "Unity", "Valley", "Westgate", "Yellowstone", "Zenith", "Atlas", "Beacon", "Clearwater",
  "Driftwood", "Emberly", "Foxglove", "Goldcrest", "Highland", "Indigo", "Jetstream", "Kingsbridge",
  "Larkspur", "Midland", "Northstar", "Old Mill", "Polaris", "Quayside", "Rosewood", "Stonebridge",
  "Thornbury", "Upland", "Vireo", "Willow Creek", "Copperfield", "Bluestem", "Greystone", "Hawthorne",
];

export const SURNAME_FIRMS = [
  "Keller", "Hartmann", "Lindqvist", "Moreau", "Bianchi", "Okafor", "Tanaka", "Novak", "Fischer",
  "Dubois", "Hansen", "Kowalski", "Rossi", "Schmidt", "Van Dijk", "Andersen", "Costa", "Reyes",
  "Mendes", "Nakamura", "Patel", "Walsh", "Brennan", "Whitaker", "Ashford", "Caldwell", "Holloway",
];

export const INDUSTRY_NOUNS: Record<Industry, readonly string[]> = {
  Manufacturing: ["Manufacturing", "Industries", "Fabrication", "Components", "Metalworks", "Tooling", "Machining", "Plastics"],
  Retail: ["Retail", "Stores", "Outfitters", "Market", "Trading", "Home Goods", "Supply", "Emporium"],
  Software: ["Software", "Systems", "Labs", "Digital", "Technologies", "Cloud", "Data", "Networks"],
  Healthcare: ["Health", "Medical", "Clinics", "Care", "Diagnostics", "Pharma", "Wellness", "Life Sciences"],
  "Financial Services": ["Capital", "Financial", "Insurance", "Partners", "Bancorp", "Advisors", "Credit Union", "Payments"],
  Logistics: ["Logistics", "Freight", "Transport", "Shipping", "Distribution", "Cargo", "Warehousing", "Express"],
  Education: ["Academy", "Learning", "Schools", "Institute", "Education", "College", "Tutoring", "EdTech"],
  "Professional Services": ["Consulting", "Associates", "Advisory", "Group", "Legal", "Engineering", "Accountants", "Partners"],
};

export const REGION_SUFFIXES: Record<Region, readonly string[]> = {
  "North America": ["Inc.", "LLC", "Corp.", "Co.", ""],
  EMEA: ["Ltd", "GmbH", "SA", "BV", "AB", "plc", "S.r.l.", ""],
  APAC: ["Pty Ltd", "Pte Ltd", "K.K.", "Ltd", "Limited", ""],
  LATAM: ["S.A.", "Ltda", "S.A. de C.V.", "SpA", ""],
};

/** Names that exercise quoting and UTF-8: commas, quotes, ampersands, apostrophes, accents. */
export const SPECIAL_NAMES: Record<Region, readonly string[]> = {
  "North America": ["Smith, Barrow & Co.", "O'Neill Freight", '"Blue Sky" Trading Co.', "Dunmore, Pike & Hale LLP", "L'Étoile Bakeries Inc.", "Baker & Sons Hardware"],
  EMEA: ["Müller & Söhne GmbH", "Établissements Lefèvre SA", "Åkerlund Verktyg AB", "Łódź Metalworks Sp. z o.o.", "Ørsted & Dahl ApS", "Café Olé Distribución S.L.", "Jäger, Roth & Partner GmbH"],
  APAC: ["Nguyễn Trading Co.", "O'Connell & Tan Pte Ltd", "Kōbe Precision K.K.", "Sunrise \"Express\" Logistics Pty Ltd"],
  LATAM: ["Gonçalves Distribuidora Ltda", "Peña & Asociados S.C.", "São Paulo Comércio Ltda", "Industrias Núñez, S.A."],
};

export const FIRST_NAMES: Record<Region, readonly string[]> = {
  "North America": ["James", "Mary", "Robert", "Patricia", "Michael", "Jennifer", "David", "Linda", "Daniel", "Emily", "Kevin", "Sarah", "Brian", "Megan", "Jason", "Rachel"],
  EMEA: ["Lukas", "Anna", "Søren", "Chloé", "Matteo", "Giulia", "Oliver", "Amélie", "Jan", "Zofia", "Björn", "Inès", "Thomas", "Hannah", "Mateusz", "Élodie"],
  APAC: ["Hiroshi", "Yuki", "Wei", "Mei", "Arjun", "Priya", "Minh", "Linh", "Jack", "Olivia", "Ji-ho", "Seo-yeon", "Rahul", "Ananya", "Kenta", "Sakura"],
  LATAM: ["José", "María", "Luis", "Ana", "João", "Fernanda", "Carlos", "Lucía", "Andrés", "Camila", "Pedro", "Valentina", "Diego", "Sofía", "Tomás", "Beatriz"],
};

export const LAST_NAMES: Record<Region, readonly string[]> = {
  "North America": ["Johnson", "Williams", "Brown", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore", "Martin", "Jackson", "O'Brien", "Clark"],
  EMEA: ["Müller", "Schneider", "Jensen", "Dupont", "Rossi", "Kowalski", "Nilsson", "Lefèvre", "de Vries", "García", "Nowak", "Bauer", "Fontaine", "Sørensen"],
  APAC: ["Sato", "Suzuki", "Wang", "Li", "Sharma", "Gupta", "Nguyen", "Tran", "Smith", "Kim", "Park", "Chen", "Iyer", "Takahashi"],
  LATAM: ["González", "Rodríguez", "Silva", "Santos", "Pérez", "Martínez", "Oliveira", "Gómez", "Fernández", "López", "Souza", "Díaz", "Ramírez", "Castro"],
};

export const EMAIL_TLD: Record<Region, string> = {
  "North America": "example",
  EMEA: "example",
  APAC: "example",
  LATAM: "example",
};

export const PHONE_PREFIX: Record<Region, readonly string[]> = {
  "North America": ["+1 212 555", "+1 415 555", "+1 312 555", "+1 416 555"],
  EMEA: ["+44 20 7946", "+49 30 5550", "+33 1 5550", "+46 8 5550"],
  APAC: ["+61 2 5550", "+65 6555", "+81 3 5550", "+91 22 5550"],
  LATAM: ["+55 11 5550", "+52 55 5550", "+54 11 5550", "+56 2 5550"],
};

/** The key-account team, by home region. */
export const KEY_ACCOUNT_MANAGERS: Record<Region, readonly string[]> = {
  "North America": ["Amelia Hart", "Marcus Reed"],
  EMEA: ["Jonas Becker", "Claire Dubois"],
  APAC: ["Priya Raman", "Kenji Watanabe"],
  LATAM: ["Sofía Álvarez"],
};

export const ACCOUNT_NOTES: readonly string[] = [
  "Prefers invoices by email",
  "Budget owner: CFO, procurement via portal",
  'Asked for "quarterly" business reviews',
  "Renewal handled by procurement",
  "Multi-site rollout planned",
  "Security review completed",
  "Requires PO number on every invoice",
  "Champion left the company, new sponsor TBD",
  "Referenced by a partner",
  "Pilot converted to paid",
  "Interested in the API, SSO and audit logs",
  'Calls us their "system of record"',
  "Pays late; reminders needed",
  "Consolidated billing for subsidiaries",
];

export const NPS_COMMENTS_PROMOTER: readonly string[] = [
  "Great product and responsive support",
  "The team is fantastic, onboarding was smooth",
  'Our managers call it "indispensable"',
  "Reports save us hours every week",
  "Reliable, fast, easy to roll out",
  "Excellent account management",
];

export const NPS_COMMENTS_PASSIVE: readonly string[] = [
  "Good overall, some features missing",
  "Works well, pricing is a bit high",
  "Fine for now; exports could be better",
  'Support is OK, but "urgent" tickets take days',
  "Solid product, the UI needs polish",
];

export const NPS_COMMENTS_DETRACTOR: readonly string[] = [
  "Too expensive for what we use",
  "Frequent outages, slow support",
  'Onboarding was "painful", still not adopted',
  "Missing integrations we were promised",
  "Considering alternatives, renewal under review",
  "Price increase was hard to justify",
];

export const SUPPORT_ACTIVITIES: readonly string[] = ["Ticket handling", "Incident follow-up", "Integration support", "Data import help"];
export const CSM_ACTIVITIES: readonly string[] = ["Health check", "Adoption review", "Quarterly business review", "Training prep"];
export const AM_ACTIVITIES: readonly string[] = ["Account planning", "Renewal call", "Executive sponsor meeting", "Commercial review"];
