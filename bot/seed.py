"""Fill a database with a realistic, multilingual community: for demos and benchmarks.

`python -m bot seed --scale N` creates, per unit of scale: 50 people in all eight languages
(helpers, key persons and organisers among them), one café (at least four; past ones with
sign-ups and check-ins, coming ones with free seats), 25 sign-ups, 250 questions with answers
(a share closed and kept in the knowledge base) and 100 tips. `--scale 1` is a small demo;
`--scale 200` is the benchmark size: 10,000 people, 200 cafés, 5,000 sign-ups, 50,000 questions
and 20,000 tips.

Everything is written with executemany in a few large transactions, directly in SQL, with a
fixed random seed: the same scale gives the same community. Kept questions and visible tips are
indexed through `bot.search.index`, so their text is normalised as the bot's own is. Seeded ids
start at 9,000,000,000 so they never collide with real Telegram users. Nothing here imports
telegram. The data respects the retention periods (bot.privacy), so the bot's first retention
run does not rewrite it: past cafés lie within the last 11 months, closed questions within the
last 5.
"""

from __future__ import annotations

import base64
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot import search
from bot.clock import Clock
from bot.db import Database, fetchone
from bot.i18n import SHIPPED_LOCALES
from bot.questions import store as question_store
from bot.questions.store import KNOWLEDGE_TABLE
from bot.questions.topics import TOPICS
from bot.tips.categories import CATEGORIES
from bot.tips.store import SEARCH_TABLE as TIPS_TABLE

FIRST_ID = 9_000_000_000  # far above the Telegram ids of real people in a demo
RANDOM_SEED = 2026
DAY = 86_400
BENCHMARK_SCALE = 200

# Share of people per language: a Dutch community of newcomers and the people who help them.
LOCALE_WEIGHTS = {"nl": 14, "en": 10, "ar": 22, "ti": 14, "uk": 14, "fa": 10, "tr": 8, "so": 8}

CITIES = ("Tiel", "Utrecht", "Arnhem", "Nijmegen", "Culemborg", "Zaltbommel", "Den Bosch", "Ede")
PLACES = (
    "Bibliotheek Tiel, Koornmarkt 1",
    "Buurthuis De Ster, Stationsstraat 12",
    "Wijkcentrum Oost, Laan van Westroijen 4",
    "Taalhuis Rivierenland, Hoogeinde 2",
)

NAMES = {
    "nl": ("Bram", "Sanne", "Joost", "Marieke", "Pieter", "Lotte", "Kees", "Anouk"),
    "en": ("James", "Emma", "Oliver", "Grace", "Daniel", "Lucy", "Samuel", "Chloe"),
    "ar": ("Amira", "Omar", "Layla", "Khaled", "Rania", "Yusuf", "Huda", "Samir"),
    "ti": ("Tesfay", "Selam", "Yonas", "Mebrat", "Dawit", "Saba", "Filmon", "Helen"),
    "uk": ("Oksana", "Taras", "Iryna", "Andrii", "Olena", "Dmytro", "Natalia", "Yurii"),
    "fa": ("Reza", "Maryam", "Ali", "Zahra", "Hossein", "Fatemeh", "Mehdi", "Shirin"),
    "tr": ("Ayşe", "Mehmet", "Elif", "Mustafa", "Zeynep", "Emre", "Fatma", "Burak"),
    "so": ("Hodan", "Abdi", "Fadumo", "Mohamed", "Ayaan", "Hassan", "Sahra", "Ahmed"),
}

# Questions per locale and topic; {city} is filled in.
QUESTIONS = {
    "nl": {
        "housing": (
            "Hoe vind ik een huurwoning in {city}?",
            "Mijn verhuurder repareert de verwarming niet, wat kan ik doen?",
        ),
        "health": (
            "Hoe schrijf ik me in bij een huisarts in {city}?",
            "Waar vind ik 's nachts een apotheek?",
        ),
        "school": (
            "Hoe meld ik mijn kind aan op een basisschool in {city}?",
            "Wat is een schooladvies voor groep 8?",
        ),
        "papers": ("Hoe vraag ik huurtoeslag aan?", "Waar haal ik een DigiD aan in {city}?"),
        "work": (
            "Mag ik werken met een verblijfsvergunning?",
            "Hoe schrijf ik een cv voor een baan in {city}?",
        ),
        "study": (
            "Waar kan ik gratis Nederlands leren in {city}?",
            "Hoe meld ik me aan voor het inburgeringsexamen?",
        ),
        "daily": (
            "Waar koop ik een goedkope fiets in {city}?",
            "Hoe werkt de afvalscheiding in {city}?",
        ),
        "other": (
            "Hoe word ik lid van de bibliotheek?",
            "Waar kan ik vrijwilligerswerk doen in {city}?",
        ),
    },
    "en": {
        "housing": (
            "How do I find a rental home in {city}?",
            "My landlord does not fix the heating, what can I do?",
        ),
        "health": ("How do I register with a GP in {city}?", "Where is a pharmacy open at night?"),
        "school": (
            "How do I register my child at a primary school in {city}?",
            "What is the school advice in group 8?",
        ),
        "papers": ("How do I apply for rent benefit?", "Where do I get a DigiD in {city}?"),
        "work": ("Can I work with a residence permit?", "How do I write a CV for a job in {city}?"),
        "study": (
            "Where can I learn Dutch for free in {city}?",
            "How do I sign up for the civic integration exam?",
        ),
        "daily": (
            "Where can I buy a cheap bike in {city}?",
            "How does waste sorting work in {city}?",
        ),
        "other": ("How do I join the library?", "Where can I volunteer in {city}?"),
    },
    "ar": {
        "housing": ("كيف أجد بيتاً للإيجار في {city}؟", "المالك لا يصلح التدفئة، ماذا أفعل؟"),
        "health": ("كيف أسجل عند طبيب العائلة في {city}؟", "أين توجد صيدلية مفتوحة في الليل؟"),
        "school": (
            "كيف أسجل طفلي في مدرسة ابتدائية في {city}؟",
            "ما هي نصيحة المدرسة في الصف الثامن؟",
        ),
        "papers": ("كيف أطلب إعانة الإيجار؟", "أين أحصل على DigiD في {city}؟"),
        "work": ("هل يمكنني العمل مع تصريح الإقامة؟", "كيف أكتب سيرة ذاتية لعمل في {city}؟"),
        "study": ("أين أتعلم اللغة الهولندية مجاناً في {city}؟", "كيف أسجل في امتحان الاندماج؟"),
        "daily": ("أين أشتري دراجة رخيصة في {city}؟", "كيف يعمل فرز النفايات في {city}؟"),
        "other": ("كيف أشترك في المكتبة؟", "أين يمكنني التطوع في {city}؟"),
    },
    "ti": {
        "housing": ("ኣብ {city} ገዛ ብኸመይ ይረክብ?", "ዋና ገዛ ማሞቕያ ኣይጽግንን እዩ፡ እንታይ ክገብር?"),
        "health": ("ኣብ {city} ናብ ሓኪም ስድራ ብኸመይ ይምዝገብ?", "ለይቲ ክፉት ፋርማሲ ኣበይ ኣሎ?"),
        "school": ("ውላደይ ኣብ {city} ቀዳማይ ደረጃ ቤት ትምህርቲ ብኸመይ ይምዝግብ?", "ምኽሪ ቤት ትምህርቲ እንታይ እዩ?"),
        "papers": ("ሓገዝ ክራይ ገዛ ብኸመይ ይሓትት?", "ኣብ {city} DigiD ኣበይ ይረክብ?"),
        "work": ("ብፍቓድ መንበሪ ክሰርሕ ይኽእል ድየ?", "ኣብ {city} ንስራሕ ሲቪ ብኸመይ ይጽሕፍ?"),
        "study": ("ኣብ {city} ሆላንድኛ ብነጻ ኣበይ ክመሃር ይኽእል?", "ንፈተና ምጽንባር ብኸመይ ይምዝገብ?"),
        "daily": ("ኣብ {city} ሕሱር ብሽክሌታ ኣበይ ይገዝእ?", "ኣብ {city} ጓሓፍ ብኸመይ ይፍለ?"),
        "other": ("ኣባል ቤተ መጻሕፍቲ ብኸመይ ይኸውን?", "ኣብ {city} ወለንታዊ ስራሕ ኣበይ ይረክብ?"),
    },
    "uk": {
        "housing": (
            "Як знайти житло в оренду в {city}?",
            "Орендодавець не ремонтує опалення, що робити?",
        ),
        "health": ("Як зареєструватися у сімейного лікаря в {city}?", "Де вночі працює аптека?"),
        "school": (
            "Як записати дитину до початкової школи в {city}?",
            "Що таке шкільна порада у восьмому класі?",
        ),
        "papers": ("Як подати заявку на допомогу з оренди?", "Де отримати DigiD в {city}?"),
        "work": (
            "Чи можу я працювати з посвідкою на проживання?",
            "Як написати резюме для роботи в {city}?",
        ),
        "study": (
            "Де безкоштовно вчити нідерландську в {city}?",
            "Як зареєструватися на іспит з інтеграції?",
        ),
        "daily": ("Де купити дешевий велосипед у {city}?", "Як сортувати сміття в {city}?"),
        "other": ("Як записатися до бібліотеки?", "Де можна волонтерити в {city}?"),
    },
    "fa": {
        "housing": (
            "چطور در {city} خانه اجاره‌ای پیدا کنم؟",
            "صاحبخانه شوفاژ را تعمیر نمی‌کند، چه کنم؟",
        ),
        "health": ("چطور نزد پزشک خانواده در {city} ثبت‌نام کنم؟", "داروخانه شبانه کجاست؟"),
        "school": (
            "چطور فرزندم را در مدرسه ابتدایی در {city} ثبت‌نام کنم؟",
            "توصیه مدرسه در کلاس هشتم چیست؟",
        ),
        "papers": ("چطور کمک هزینه اجاره درخواست کنم؟", "DigiD را در {city} از کجا بگیرم؟"),
        "work": ("آیا با اجازه اقامت می‌توانم کار کنم؟", "چطور برای کار در {city} رزومه بنویسم؟"),
        "study": ("کجا در {city} هلندی رایگان یاد بگیرم؟", "چطور برای امتحان ادغام ثبت‌نام کنم؟"),
        "daily": ("دوچرخه ارزان در {city} از کجا بخرم؟", "تفکیک زباله در {city} چطور است؟"),
        "other": ("چطور عضو کتابخانه شوم؟", "کجا در {city} کار داوطلبانه کنم؟"),
    },
    "tr": {
        "housing": (
            "{city} şehrinde kiralık ev nasıl bulurum?",
            "Ev sahibi kaloriferi tamir etmiyor, ne yapabilirim?",
        ),
        "health": ("{city} şehrinde aile hekimine nasıl kaydolurum?", "Gece açık eczane nerede?"),
        "school": (
            "Çocuğumu {city} şehrinde ilkokula nasıl kaydederim?",
            "Sekizinci sınıfta okul tavsiyesi nedir?",
        ),
        "papers": ("Kira yardımına nasıl başvururum?", "{city} şehrinde DigiD nereden alırım?"),
        "work": (
            "Oturma izniyle çalışabilir miyim?",
            "{city} şehrinde iş için özgeçmiş nasıl yazılır?",
        ),
        "study": (
            "{city} şehrinde ücretsiz Hollandaca nerede öğrenebilirim?",
            "Uyum sınavına nasıl kaydolurum?",
        ),
        "daily": (
            "{city} şehrinde ucuz bisiklet nereden alırım?",
            "{city} şehrinde çöp ayrıştırma nasıl işler?",
        ),
        "other": ("Kütüphaneye nasıl üye olurum?", "{city} şehrinde nerede gönüllü olabilirim?"),
    },
    "so": {
        "housing": (
            "Sideen guri kiro ah uga helaa {city}?",
            "Milkiilaha ma hagaajinayo kuleyliyaha, maxaan sameeyaa?",
        ),
        "health": (
            "Sideen isugu diiwaangeliyaa dhakhtarka qoyska ee {city}?",
            "Farmashiye habeenkii furan xaggee ku yaal?",
        ),
        "school": (
            "Sideen ilmahayga uga diiwaangeliyaa dugsi hoose oo {city} ku yaal?",
            "Waa maxay talada dugsiga fasalka sideedaad?",
        ),
        "papers": ("Sideen u codsadaa kaalmada kirada?", "Xaggee DigiD ka helaa {city}?"),
        "work": (
            "Ma shaqeyn karaa anigoo haysta sharciga deganaanshaha?",
            "Sideen u qoraa CV shaqo {city} ah?",
        ),
        "study": (
            "Xaggee ku baran karaa luqadda Nederlandka bilaash {city}?",
            "Sideen isu diiwaangeliyaa imtixaanka is-dhexgalka?",
        ),
        "daily": (
            "Xaggee ka iibsadaa baaskiil jaban {city}?",
            "Sidee loo kala saaraa qashinka {city}?",
        ),
        "other": (
            "Sideen ugu biiraa maktabadda?",
            "Xaggee ka qaban karaa shaqo tabaruc ah {city}?",
        ),
    },
}

ANSWERS = {
    "nl": (
        "Ga naar het gemeentehuis in {city}, zij helpen je verder.",
        "Bel eerst, dan kun je een afspraak maken.",
        "Vraag het aan VluchtelingenWerk, zij hebben een spreekuur.",
    ),
    "en": (
        "Go to the town hall in {city}; they will help you.",
        "Call first, then you can make an appointment.",
        "Ask VluchtelingenWerk, they have walk-in hours.",
    ),
    "ar": (
        "اذهب إلى البلدية في {city}، سيساعدونك.",
        "اتصل أولاً ثم احجز موعداً.",
        "اسأل VluchtelingenWerk، لديهم ساعات استقبال.",
    ),
    "ti": (
        "ናብ ምምሕዳር ከተማ {city} ኪድ፡ ክሕግዙኻ እዮም።",
        "ቅድም ደውል፡ ድሕሪኡ ቆጸራ ሓዝ።",
        "ንVluchtelingenWerk ሕተት።",
    ),
    "uk": (
        "Зверніться до муніципалітету {city}, там допоможуть.",
        "Спочатку зателефонуйте, потім запишіться на прийом.",
        "Запитайте у VluchtelingenWerk, у них є години прийому.",
    ),
    "fa": (
        "به شهرداری {city} بروید، کمکتان می‌کنند.",
        "اول تماس بگیرید، بعد وقت بگیرید.",
        "از VluchtelingenWerk بپرسید، ساعت مشاوره دارند.",
    ),
    "tr": (
        "{city} belediyesine gidin, size yardım ederler.",
        "Önce arayın, sonra randevu alın.",
        "VluchtelingenWerk'e sorun, danışma saatleri var.",
    ),
    "so": (
        "Tag xarunta degmada {city}, way ku caawin doonaan.",
        "Marka hore wac, kadib ballan qabso.",
        "Weydii VluchtelingenWerk, waxay leeyihiin saacado la kulan.",
    ),
}

# Tips per locale and category; {city} is filled in.
TIPS = {
    "nl": {
        "food": "De Turkse supermarkt in {city} verkoopt halal vlees en verse kruiden.",
        "free": "De bibliotheek in {city} heeft elke woensdag een gratis taalcafé.",
        "health": "De huisartsenpost in {city} is 's nachts open voor spoed.",
        "school": "Bij het buurthuis in {city} is gratis huiswerkbegeleiding.",
        "work": "Het werkplein in {city} helpt gratis met je cv.",
        "papers": "Bij het formulierenspreekuur in {city} helpen vrijwilligers met brieven.",
        "transport": "De fietsenmaker bij station {city} verkoopt goedkope tweedehands fietsen.",
        "other": "De kringloopwinkel in {city} heeft goedkope meubels.",
    },
    "en": {
        "food": "The Turkish supermarket by the market in {city} sells halal meat and fresh herbs.",
        "free": "The library in {city} has a free language café every Wednesday.",
        "health": "The GP out-of-hours post in {city} is open at night for emergencies.",
        "school": "The community centre in {city} offers free homework help.",
        "work": "The job centre in {city} helps with your CV for free.",
        "papers": "Volunteers at the paperwork help desk in {city} explain letters.",
        "transport": "The bike shop behind {city} station sells cheap second-hand bikes.",
        "other": "The thrift shop in {city} has cheap furniture.",
    },
    "ar": {
        "food": "السوبرماركت التركي قرب السوق في {city} يبيع لحماً حلالاً وأعشاباً طازجة.",
        "free": "المكتبة في {city} فيها مقهى لغة مجاني كل أربعاء.",
        "health": "مركز الطبيب الليلي في {city} مفتوح للحالات الطارئة.",
        "school": "المركز الاجتماعي في {city} يقدم مساعدة مجانية في الواجبات المدرسية.",
        "work": "مكتب العمل في {city} يساعد مجاناً في كتابة السيرة الذاتية.",
        "papers": "متطوعون في {city} يساعدون في قراءة الرسائل الرسمية.",
        "transport": "محل الدراجات خلف محطة {city} يبيع دراجات مستعملة رخيصة.",
        "other": "محل الأغراض المستعملة في {city} فيه أثاث رخيص.",
    },
    "ti": {
        "food": "ኣብ {city} ቱርካዊ ድኳን ሓላል ስጋን ሓድሽ ቅመማትን ይሸይጥ።",
        "free": "ቤተ መጻሕፍቲ {city} ኩሉ ረቡዕ ናጻ ቤት ቋንቋ ኣለዎ።",
        "health": "ኣብ {city} ለይቲ ህጹጽ ሓኪም ክፉት እዩ።",
        "school": "ማእከል ሕብረተሰብ {city} ናጻ ሓገዝ ዕዮ ገዛ ይህብ።",
        "work": "ቤት ጽሕፈት ስራሕ {city} ሲቪ ንምጽሓፍ ብነጻ ይሕግዝ።",
        "papers": "ኣብ {city} ወለንተኛታት ደብዳቤታት ንምንባብ ይሕግዙ።",
        "transport": "ድሕሪ መደበር {city} ዘሎ ድኳን ሕሱር ካልኣይ ኢድ ብሽክሌታ ይሸይጥ።",
        "other": "ኣብ {city} ሕሱር ኣቕሓ ገዛ ዝሸይጥ ድኳን ኣሎ።",
    },
    "uk": {
        "food": "Турецький супермаркет біля ринку в {city} продає халяльне м'ясо і свіжу зелень.",
        "free": "Бібліотека в {city} щосереди проводить безкоштовне мовне кафе.",
        "health": "Нічний пункт сімейного лікаря в {city} працює для термінових випадків.",
        "school": "Громадський центр у {city} безкоштовно допомагає з домашніми завданнями.",
        "work": "Центр зайнятості в {city} безкоштовно допомагає з резюме.",
        "papers": "Волонтери в {city} допомагають розібратися з листами.",
        "transport": "Веломайстерня за вокзалом у {city} продає дешеві вживані велосипеди.",
        "other": "Секонд-хенд у {city} має дешеві меблі.",
    },
    "fa": {
        "food": "سوپرمارکت ترکی کنار بازار {city} گوشت حلال و سبزی تازه دارد.",
        "free": "کتابخانه {city} هر چهارشنبه کافه زبان رایگان دارد.",
        "health": "مرکز پزشک شبانه در {city} برای موارد اورژانسی باز است.",
        "school": "خانه محله در {city} کمک رایگان برای تکالیف مدرسه دارد.",
        "work": "اداره کار {city} رایگان در نوشتن رزومه کمک می‌کند.",
        "papers": "داوطلبان در {city} در خواندن نامه‌های اداری کمک می‌کنند.",
        "transport": "دوچرخه‌فروشی پشت ایستگاه {city} دوچرخه دست دوم ارزان دارد.",
        "other": "فروشگاه دست دوم {city} مبلمان ارزان دارد.",
    },
    "tr": {
        "food": "{city} pazarının yanındaki Türk marketi helal et ve taze ot satıyor.",
        "free": "{city} kütüphanesinde her çarşamba ücretsiz dil kafesi var.",
        "health": "{city} nöbetçi doktor merkezi gece acil durumlar için açık.",
        "school": "{city} mahalle evinde ücretsiz ödev yardımı var.",
        "work": "{city} iş merkezi özgeçmiş yazmada ücretsiz yardım ediyor.",
        "papers": "{city} gönüllüleri resmi mektupları okumaya yardım ediyor.",
        "transport": "{city} istasyonunun arkasındaki bisikletçi ucuz ikinci el bisiklet satıyor.",
        "other": "{city} ikinci el mağazasında ucuz mobilya var.",
    },
    "so": {
        "food": "Dukaanka Turkiga ee {city} wuxuu iibiyaa hilib xalaal ah iyo caleen cusub.",
        "free": "Maktabadda {city} Arbaca kasta waxay leedahay kafee luqad bilaash ah.",
        "health": "Xarunta dhakhtarka habeenkii ee {city} way furan tahay xaaladaha degdegga ah.",
        "school": "Xarunta bulshada ee {city} waxay bixisaa caawimo casharrada guriga.",
        "work": "Xafiiska shaqada ee {city} wuxuu bilaash kaaga caawiyaa CV-ga.",
        "papers": "Mutadawiciin ku sugan {city} ayaa kaa caawiya warqadaha.",
        "transport": "Dukaanka baaskiillada ee saldhigga {city} wuxuu iibiyaa baaskiillo jaban.",
        "other": "Dukaanka alaabta la isticmaalay ee {city} wuxuu leeyahay alaab guri jaban.",
    },
}
# A few words of detail per tip, so that tips are not all alike.
TIP_DETAILS = ("", " Open 9–18.", " Bring your ID.", " Also on Saturday.", " Ask for Fatima.")


class AlreadySeeded(Exception):
    """The database already has people in it; seeding it would mix made-up people in."""


@dataclass(frozen=True)
class Sizes:
    users: int
    cafes: int
    signups: int
    questions: int
    tips: int

    @classmethod
    def for_scale(cls, scale: int) -> Sizes:
        if scale < 1:
            raise ValueError("scale must be at least 1")
        return cls(
            users=50 * scale,
            cafes=max(4, scale),
            signups=25 * scale,
            questions=250 * scale,
            tips=100 * scale,
        )


@dataclass
class Seeded:
    sizes: Sizes
    created: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    # (id, first name, locale, role) of everyone with a role and of a few newcomers: the
    # people worth playing in the console.
    cast: list[tuple[int, str, str, str]] = field(default_factory=list)

    def summary(self, path: Path) -> str:
        parts = ", ".join(f"{count:,} {name}" for name, count in self.created.items())
        return f"seeded {path}: {parts} in {self.seconds:.1f} s"


def user_id(n: int) -> int:
    """The id of the n-th seeded person (0-based)."""
    return FIRST_ID + n


async def seed(
    path: Path,
    scale: int,
    *,
    force: bool = False,
    clock: Clock | None = None,
    random_seed: int = RANDOM_SEED,
) -> Seeded:
    """Migrate the database at `path` and fill it. Refuses one that has people, unless `force`."""
    started = time.perf_counter()
    sizes = Sizes.for_scale(scale)
    now = (clock or Clock()).timestamp()
    rng = random.Random(random_seed)
    result = Seeded(sizes)
    async with Database(path) as db:
        await db.migrate()
        row = await fetchone(db.reader, "SELECT count(*) FROM users")
        if row[0] and not force:
            raise AlreadySeeded(
                f"{path} already has {row[0]:,} people; seeding would mix made-up people into a "
                "community (use --force for a test database)"
            )
        async with db.transaction() as conn:
            first = (await fetchone(conn, "SELECT coalesce(max(id), 0) FROM users"))[0]
            base = max(FIRST_ID, first + 1)
            people = _people(rng, sizes.users, base, now)
            result.created["people"] = await _insert_people(conn, rng, people, now)
            result.created["roles"] = await _insert_roles(conn, rng, people, now)
            newcomers = [p for p in people if p.role is None][:3]
            result.cast = [
                (p.id, p.first_name, p.locale, p.role or "newcomer")
                for p in [p for p in people if p.role][:6] + newcomers
            ]
        async with db.transaction() as conn:
            made = await _insert_cafes(conn, rng, people, sizes, now)
            result.created["cafés"], result.created["sign-ups"] = made
        async with db.transaction() as conn:
            made = await _insert_questions(conn, rng, people, sizes.questions, now)
            result.created["questions"], result.created["answers"] = made
        async with db.transaction() as conn:
            result.created["tips"] = await _insert_tips(conn, rng, people, sizes.tips, now)
        await db.checkpoint()
    result.seconds = time.perf_counter() - started
    return result


@dataclass(frozen=True)
class _Person:
    id: int
    first_name: str
    locale: str
    role: str | None  # helper, key_person, organiser


def _people(rng: random.Random, count: int, base: int, now: int) -> list[_Person]:
    locales = rng.choices(list(LOCALE_WEIGHTS), weights=list(LOCALE_WEIGHTS.values()), k=count)
    # Every language at least once, whatever the count.
    for index, locale in enumerate(SHIPPED_LOCALES[: min(count, len(SHIPPED_LOCALES))]):
        locales[index] = locale
    people = []
    organisers = max(1, count // 300)
    key_persons = max(1, count // 100)
    helpers = max(2, count // 20)
    for n, locale in enumerate(locales):
        if n < organisers:
            role = "organiser"
        elif n < organisers + key_persons:
            role = "key_person"
        elif n < organisers + key_persons + helpers:
            role = "helper"
        else:
            role = None
        people.append(_Person(base + n, rng.choice(NAMES[locale]), locale, role))
    return people


async def _insert_people(conn, rng: random.Random, people: list[_Person], now: int) -> int:
    rows = []
    for person in people:
        created = now - rng.randrange(DAY, 730 * DAY)
        chose = rng.random() < 0.9  # most picked a language; the rest go by Telegram's
        rows.append(
            (
                person.id,
                person.first_name,
                person.locale if chose else None,
                person.locale,
                int(rng.random() < 0.35),
                created,
                created,
            )
        )
    await conn.executemany(
        "INSERT INTO users (id, first_name, locale, telegram_locale, subscribed, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


async def _insert_roles(conn, rng: random.Random, people: list[_Person], now: int) -> int:
    granter = next(p.id for p in people if p.role == "organiser")
    roles, helpers = [], []
    topics = list(TOPICS)
    for person in people:
        if person.role is None:
            continue
        roles.append((person.id, person.role, granter, now - rng.randrange(DAY, 365 * DAY)))
        if person.role in ("helper", "key_person"):
            languages = {person.locale, rng.choice(("nl", "en"))}
            chosen = sorted(rng.sample(topics, rng.randint(2, 5)))
            helpers.append(
                (
                    person.id,
                    ",".join(sorted(languages)),
                    ",".join(chosen),
                    int(rng.random() < 0.1),
                    int(rng.random() < 0.5),
                    now - rng.randrange(0, 30 * DAY),
                    now,
                    now,
                )
            )
    await conn.executemany(
        "INSERT INTO roles (user_id, role, granted_by, granted_at) VALUES (?, ?, ?, ?)", roles
    )
    await conn.executemany(
        "INSERT INTO helpers (user_id, languages, topics, paused, show_name, last_asked_at,"
        " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        helpers,
    )
    return len(roles)


def _evening(timestamp: int) -> int:
    """19:00 UTC on the day of `timestamp` (20:00 or 21:00 in Amsterdam)."""
    return timestamp - timestamp % DAY + 19 * 3600


async def _insert_cafes(
    conn, rng: random.Random, people: list[_Person], sizes: Sizes, now: int
) -> tuple[int, int]:
    organiser = next(p.id for p in people if p.role == "organiser")
    coming = max(1, min(6, sizes.cafes // 40))
    past = sizes.cafes - coming
    # Past cafés evenly over the last 330 days (within the sign-up retention of a year); coming
    # ones weekly from three days on.
    starts = [_evening(now - DAY - (330 * DAY * i) // max(1, past)) for i in range(past)]
    starts += [_evening(now + 3 * DAY + 7 * DAY * i) for i in range(coming)]
    titles = ("Praattafel", "Taalcafé", "Language café", "Praattafel A2–B1")
    cafes = []
    for index, start in enumerate(starts):
        cafes.append(
            (
                f"{titles[index % len(titles)]} {CITIES[index % len(CITIES)]}",
                PLACES[index % len(PLACES)],
                start,
                start + 2 * 3600,
                20,
                4,
                "A2–B1" if index % 3 == 0 else None,
                None,
                int(index % 4 == 0),
                base64.urlsafe_b64encode(rng.randbytes(9)).decode(),
                organiser,
                start - 21 * DAY,
                start - 21 * DAY,
            )
        )
    await conn.executemany(
        "INSERT INTO cafes (title, place, starts_at, ends_at, capacity, host_capacity, level,"
        " description, monthly, checkin_token, created_by, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        cafes,
    )
    cursor = await conn.execute("SELECT id FROM cafes ORDER BY id DESC LIMIT ?", (len(cafes),))
    ids = sorted(row[0] for row in await cursor.fetchall())
    # Coming cafés are half full, so there are seats to take; past ones take the rest.
    per_coming = 10
    budget = sizes.signups - per_coming * coming
    per_past = (
        [budget // past + (1 if i < budget % past else 0) for i in range(past)] if past else []
    )
    hosts = [p.id for p in people if p.locale == "nl"] or [people[0].id]
    learners = [p.id for p in people if p.locale != "nl"] or [people[0].id]
    rows = []
    for index, (cafe_id, start) in enumerate(zip(ids, starts, strict=True)):
        wanted = per_coming if index >= past else per_past[index]
        is_past = index < past
        host_count = min(len(hosts), min(4, wanted // 6))
        chosen = [(uid, "host") for uid in rng.sample(hosts, host_count)]
        chosen += [
            (uid, "learner")
            for uid in rng.sample(learners, min(len(learners), wanted - host_count))
        ]
        confirmed_learners = 0
        for uid, kind in chosen:
            status = "confirmed"
            if kind == "learner":
                confirmed_learners += 1
                if confirmed_learners > 20:
                    status = "waiting"
            signed = start - rng.randrange(DAY, 20 * DAY)
            checked = (
                start + rng.randrange(0, 1800)
                if is_past and status == "confirmed" and rng.random() < 0.75
                else None
            )
            rows.append((cafe_id, uid, kind, status, checked, signed, signed))
    await conn.executemany(
        "INSERT INTO signups (cafe_id, user_id, kind, status, checked_in_at, created_at,"
        " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(cafes), len(rows)


async def _insert_questions(
    conn, rng: random.Random, people: list[_Person], count: int, now: int
) -> tuple[int, int]:
    askers = [p for p in people if p.role is None] or people
    helpers_by_locale: dict[str, list[_Person]] = {}
    for person in people:
        if person.role in ("helper", "key_person"):
            helpers_by_locale.setdefault(person.locale, []).append(person)
    all_helpers = [p for ps in helpers_by_locale.values() for p in ps] or people
    first = (await (await conn.execute("SELECT coalesce(max(id), 0) FROM questions")).fetchone())[0]
    questions, answers, kept = [], [], []
    topics = list(TOPICS)
    for n in range(count):
        question_id = first + 1 + n
        asker = rng.choice(askers)
        topic = rng.choice(topics)
        city = rng.choice(CITIES)
        text = rng.choice(QUESTIONS[asker.locale][topic]).format(city=city)
        created = now - rng.randrange(3600, 150 * DAY)
        roll = rng.random()
        # 40% closed and kept, 35% closed, 20% open and answered, 5% open and waiting.
        if roll < 0.75:
            status, closed_at = "closed", min(now, created + rng.randrange(3600, 5 * DAY))
        else:
            status, closed_at = "open", None
        keep = roll < 0.40
        # Open questions nobody answered went to key persons after 12 h and to organisers
        # after 48 h already: the escalation job has nothing to catch up on.
        age = now - created
        escalation = 0 if roll < 0.95 else (2 if age > 2 * DAY else int(age > DAY // 2))
        questions.append(
            (question_id, asker.id, topic, asker.locale, text, status, escalation, int(keep),
             created, created + 60, closed_at)
        )  # fmt: skip
        if roll < 0.95:
            helper = rng.choice(helpers_by_locale.get(asker.locale) or all_helpers)
            reply = rng.choice(ANSWERS[asker.locale]).format(city=city)
            answers.append(
                (question_id, helper.id, reply, int(helper.role == "key_person"),
                 int(status == "closed"), created + rng.randrange(600, 12 * 3600))
            )  # fmt: skip
            if keep:
                kept.append((question_id, f"{text}\n{reply}", asker.locale))
    await conn.executemany(
        "INSERT INTO questions (id, asker_id, topic, locale, text, status, escalation, kept,"
        " created_at, routed_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        questions,
    )
    await conn.executemany(
        "INSERT INTO answers (question_id, helper_id, text, by_key_person, accepted, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        answers,
    )
    await question_store.refresh_answered(conn, [answer[0] for answer in answers])
    for question_id, body, locale in kept:
        await search.index(conn, KNOWLEDGE_TABLE, question_id, body, language=locale)
    return len(questions), len(answers)


async def _insert_tips(
    conn, rng: random.Random, people: list[_Person], count: int, now: int
) -> int:
    first = (await (await conn.execute("SELECT coalesce(max(id), 0) FROM tips")).fetchone())[0]
    categories = list(CATEGORIES)
    tips, visible, votes = [], [], []
    voters = [p.id for p in people]
    for n in range(count):
        tip_id = first + 1 + n
        author = rng.choice(people)
        category = rng.choice(categories)
        city = rng.choice(CITIES)
        text = TIPS[author.locale][category].format(city=city)
        text += rng.choice(TIP_DETAILS)
        created = now - rng.randrange(DAY, 300 * DAY)
        status = "visible" if rng.random() < 0.92 else rng.choice(("pending", "hidden"))
        review = {"visible": None, "pending": "new_author", "hidden": "author"}[status]
        published = created + 3600 if status == "visible" else None
        # Authors confirm their tips now and then: none is due for "Is this still right?" yet.
        confirmed = max(created, now - rng.randrange(DAY, 170 * DAY))
        tips.append(
            (tip_id, author.id, category, author.locale, text, city, status,
             review, created, published, confirmed)
        )  # fmt: skip
        if status == "visible":
            visible.append((tip_id, text))
            for voter in rng.sample(voters, min(len(voters), rng.choice((0, 0, 1, 2, 5)))):
                votes.append((tip_id, voter, created + DAY))
    await conn.executemany(
        "INSERT INTO tips (id, author_id, category, locale, text, area, status, review,"
        " created_at, published_at, confirmed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tips,
    )
    await conn.executemany(
        "INSERT INTO tip_votes (tip_id, user_id, created_at) VALUES (?, ?, ?)", votes
    )
    for tip_id, text in visible:
        await search.index(conn, TIPS_TABLE, tip_id, text)
    return len(tips)
