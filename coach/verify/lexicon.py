"""Word lists and phrase patterns for the yoísmo critic (Spanish and English).

Pure data: curated lists, because no Spanish morphological analyser is available
offline and a tagger would be far slower than the 1 ms budget of ``analyze``. The
morphology heuristics in ``critic.py`` use the exception lists below to avoid the
classic false positives ("como", "pero", "todo", "caso", "café", "aquí", "además").
"""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --------------------------------------------------------------------- language cues
ES_CUES = _words(
    "el la los las de del que y en un una unos unas por para con es son está están mi mis "
    "tu tus te me se lo le les al muy pero como más qué cómo cuál dónde cuándo hola gracias "
    "buenas buenos días saludos estimado estimada soy tengo estoy he busco quiero necesito "
    "sobre también ya sin este esta eso esa ese nos os vos usted ustedes yo tú ti mí "
    "contigo conmigo vuestro vuestra nuestro nuestra hace fue era hay sí no sino porque "
    "cuando donde quizá quizás oye che"
)
EN_CUES = _words(
    "the and to of in is are was were be been i you my your me we our us it this that "
    "with for on at by from have has had do does did not but so if or an hi hello hey "
    "dear thanks thank would could should can will just how what which when where who "
    "about there their they he she his her its i'm i've i'd i'll you're you've you'd "
    "you'll it's don't can't let's here's what's how's"
)
ES_CHARS = frozenset("áéíóúñ¿¡ü")

# --------------------------------------------------------------------- Spanish: self
ES_SELF_PRONOUNS = {
    "yo": 1.0, "mí": 1.0, "conmigo": 1.0, "me": 1.0, "mi": 1.0, "mis": 1.0,
    "mío": 1.0, "mía": 1.0, "míos": 1.0, "mías": 1.0,
    "nosotros": 0.5, "nosotras": 0.5, "nos": 0.5, "nuestro": 0.5, "nuestra": 0.5,
    "nuestros": 0.5, "nuestras": 0.5,
}
# Present and other 1sg forms that are unambiguous enough on their own.
ES_SELF_VERBS = _words(
    "soy estoy tengo he hago puedo quiero necesito busco sé voy creo pienso llevo ofrezco "
    "domino lidero dirijo conozco ayudo acompaño vendo invierto escribo comparto envío "
    "mando paso dejo adjunto recomiendo presento propongo espero quedo agradezco considero "
    "gestiono desarrollo diseño cuento comento invito sigo vengo digo doy veo leo entiendo "
    "aprendo hablo llamo vivo estudio dedico especializo encargo coordino asesoro organizo "
    "lanzo construyo aporto represento apoyo preparo colaboro participo garantizo aseguro "
    "prometo debo suelo logro consigo acabo empiezo llego vuelvo regreso escucho intento "
    "manejo superviso impulso transformo soluciono resuelvo trabajo agradecería querría "
    "fui estuve tuve hice pude quise supe vine dije di vi traje puse anduve "
    "me_llamo laburo"
)
# 1sg forms that are also common nouns/adjectives: a determiner or a preceding verb
# before them means the noun reading ("mi trabajo", "busco trabajo", "sin trabajo").
ES_AMBIGUOUS_VERBS = _words(
    "trabajo estudio diseño desarrollo cambio uso apoyo envío adjunto contacto cuento mando "
    "paso gusto regreso consigo impulso logro intento manejo pienso laburo dejo"
)
ES_NOUN_MARKERS = _words(
    "el un mi tu su este ese aquel del al nuestro vuestro buen gran nuevo primer cada otro "
    "mucho poco sin de en con por para lo ningún algún cualquier mucho tanto mismo propio "
    "archivo documento correo mejor peor tercer segundo último"
)
# First-person verbs of giving: the message is offering something (half weight).
ES_GIVE_VERBS = _words(
    "paso envío mando comparto adjunto dejo presento recomiendo invito conozco ofrezco "
    "reenvío"
)
# Reacting to the other person's work ("me gustó tu charla", "leí tu artículo").
ES_REACT_AFTER_ME = _words(
    "gustó gustaron encantó encantaron pareció interesa interesó acordé quedé alegra "
    "alegró sorprendió inspiró llamó sirvió ayudó"
)
ES_REACT_VERBS = _words("vi leí escuché noté seguí")
# -é / -í endings that are not first-person preterites or futures.
ES_E_ACCENT_EXCEPTIONS = _words(
    "qué porqué café bebé comité josé rené puré consomé canapé chalé cliché clisé bidé "
    "carné corsé paté buqué suflé olé ké fé sé té resumé résumé entrecot"
)
ES_I_ACCENT_EXCEPTIONS = _words(
    "aquí allí ahí así sí mí ti esquí rubí jabalí colibrí maniquí bisturí iraní marroquí "
    "israelí paquistaní frenesí baladí ají alhelí zahorí hurí maravedí pirulí tabú "
    "decí vení salí"
)

# -------------------------------------------------------------------- Spanish: other
ES_OTHER_PRONOUNS = {
    "tú": 1.0, "tu": 1.0, "tus": 1.0, "ti": 1.0, "te": 1.0, "contigo": 1.0,
    "tuyo": 1.0, "tuya": 1.0, "tuyos": 1.0, "tuyas": 1.0,
    "usted": 1.0, "ustedes": 1.0, "vos": 1.0, "os": 1.0,
    "vosotros": 1.0, "vosotras": 1.0, "vuestro": 1.0, "vuestra": 1.0, "vuestros": 1.0,
    "vuestras": 1.0,
}
# "su", "sus", "le", "les" address the reader only in an "usted" message.
ES_USTED_WORDS = _words("su sus le les suyo suya")
ES_USTED_MARKERS = _words("usted ustedes")
ES_OTHER_VERBS = _words(
    "eres estás tienes puedes quieres sabes haces necesitas buscas trabajas llevas ves "
    "piensas crees conoces vienes vas has dices sueles prefieres usas gestionas animas "
    "inviertes consigues compras vendes ofreces diriges lideras cuentas imaginas recuerdas "
    "acuerdas apetece tendrías podrías querrías harías dirías serías estarías sabrías "
    "recomiendes inviertas consigas contrates financies ayudes puedas tengas quieras "
    "sepas vengas vayas hagas pases presentes hables mires pienses "
    "dime cuéntame avísame escríbeme llámame dímelo cuéntamelo "
    "tenés podés querés sabés hacés sos venís decís estás buscás laburás andás pensás "
    "necesitás trabajás llevás mirás contás querés usás creés conocés vivís "
    "contame decime avisame escribime llamame mirá fijate querés"
)
ES_OTHER_EXCEPTIONS = _words(
    "además atrás detrás jamás quizás más demás compás tomás nicolás jonás satanás "
    "después través inglés francés interés estrés japonés portugués holandés irlandés "
    "escocés danés cortés revés marqués país maíz raíz anís parís ciprés "
    "triste chiste existe consiste insiste resiste asiste contraste desgaste traste quiste "
    "despiste alpiste embiste subsiste"
)

# ------------------------------------------------------------------------ English
EN_SELF = {
    "i": 1.0, "i'm": 1.0, "i've": 1.0, "i'd": 1.0, "i'll": 1.0, "im": 1.0, "ive": 1.0,
    "me": 1.0, "my": 1.0, "mine": 1.0, "myself": 1.0,
    "we": 0.5, "we're": 0.5, "we've": 0.5, "we'd": 0.5, "we'll": 0.5, "our": 0.5,
    "ours": 0.5, "us": 0.5, "ourselves": 0.5,
}
EN_OTHER = {
    "you": 1.0, "your": 1.0, "yours": 1.0, "yourself": 1.0, "yourselves": 1.0,
    "you're": 1.0, "you've": 1.0, "you'd": 1.0, "you'll": 1.0, "u": 1.0, "ur": 1.0,
    "y'all": 1.0, "youre": 1.0,
}
EN_GIVE_AFTER_I = _words(
    "can could send share know introduce help attached attach wrote put thought 'll will "
    "found made"
)
EN_REACT_AFTER_I = _words(
    "enjoyed liked loved saw read noticed heard really appreciated admired learned"
)

# ------------------------------------------------------------------------ greetings
GREETING = re.compile(
    r"^\s*(?:hola|buenas|buenos\s+d[ií]as|buenas\s+tardes|buenas\s+noches|querid[oa]s?|"
    r"estimad[oa]s?|che|oye|hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))"
    r"[\s,]+(?:(?:sr|sra|srta|dr|dra|mr|mrs|ms|dr)\.?\s+)?"
    r"(?P<name>[A-ZÁÉÍÓÚÑ][\w'-]+)",
    re.IGNORECASE,
)
GREETING_NOT_NAMES = _words(
    "soy team equipo all todos todas a the it i me is de del la el que qué como cómo "
    "buenas good morning again otra dan tal everyone"
)

# ------------------------------------------------------------------- phrase patterns
# Each entry: (code, card_id, pattern). Patterns are matched case-insensitively on the
# whole text; a match counts only when the sentence holding it is not about the reader
# alone (praising the other person is fine).
_N = r"\d[\d.,]*"
PRAISE_TITLES = [  # credentials and titles: say what you contributed instead
    rf"(?:m[aá]s\s+de\s+)?{_N}\s*\+?\s*a[ñn]os\s+de\s+(?:experiencia|trayectoria|carrera)",
    rf"(?:over|more\s+than)\s+{_N}\s+years|{_N}\+?\s+years\s+of\s+experience",
    r"amplia\s+experiencia|extensive\s+experience|proven\s+track\s+record",
    r"\b(?:un|dos|tres)\s+m[aá]steres\b|\bmba\b|two\s+master'?s",
    r"\bcertificad[oa]\s+en\b|\bcertified\s+in\b",
    r"\bconferenciante\s+internacional\b|\bkeynote\s+speaker\b",
    r"\bceo,\s*fundador|\bceo,\s*founder",
]
PRAISE_SUPERLATIVES = [  # self-praise and superlatives
    r"\b(?:el|la|los|las)\s+mejor(?:es)?\b(?!\s+(?:forma|manera|momento|opci[oó]n))",
    r"\bthe\s+(?:very\s+)?best\b(?!\s+(?:way|time|option|person\s+to\s+ask))",
    r"\b(?:the\s+)?top\s+(?:mentor|expert|performer|talent|designer|closer|leader)\b",
    r"\bn[uú]mero\s+uno\b|\bnumber\s+one\b",
    r"\bexpert[oa]s?\s+en\b|\ban?\s+expert\b|\bexpert\s+in\b|\bexperto\b",
    r"\bl[ií]der(?:es)?\s+(?:del\s+sector|del\s+mercado|nato|que)\b|\bel\s+l[ií]der\b",
    r"\b(?:industry|thought|born|market)\s+leader\b|\bthe\s+leader\b",
    r"\bworld[-\s]class\b|\bde\s+talla\s+mundial\b|\bunmatched\b|\bsin\s+igual\b",
    r"\breferente\b|\bun\s+crack\b|\bbrillante\b|\bbrilliant\s+(?:professional|engineer)",
    r"\bperfect[oa]\s+para\b|\bperfect\s+(?:for|fit)\b",
    r"\bincre[ií]bles?\b|\bespectaculares?\b|\bspectacular\b|\bamazing\s+results\b",
    r"\bnunca\s+he\s+fallado\b|\bnever\s+missed\b|\bsin\s+duda\b|\bwithout\s+a\s+doubt\b",
    r"\bdomino\s+todas\b|\bmaster\s+every\b|\btodas\s+las\s+[aá]reas\b|\bevery\s+area\b",
    r"\bhago\s+de\s+todo\b|\bi\s+do\s+everything\b|\btodos\s+los\s+sectores\b",
    r"\bevery\s+industry\b|\bmuy\s+competente\b|\bhighly\s+skilled\b",
    r"\bme\s+adoran\b|\bme\s+valoran\b|\blove\s+me\b|\bhablan\s+por\s+s[ií]\s+sol[oa]s\b",
    r"\bm[aá]s\s+vendid[oa]\b|\bbestseller\b|\bbest-seller\b",
    r"\brevolucionari[oa]\b|\brevolutionary\b|\bvisi[oó]n\s+[uú]nica\b|\bunique\s+vision\b",
    r"\boportunidad\s+[uú]nica\b|\bonce[-\s]in[-\s]a[-\s]lifetime\b",
    r"\bm[aá]s\s+que\s+nadie\b|\bfaster\s+than\s+anyone\b|\bis\s+a\s+hit\b|\bes\s+un\s+[eé]xito\b",
    r"\bconocid[oa]\s+como\b|\bknown\s+as\b|\bsiempre\s+triunfan\b|\balways\s+succeed\b",
    r"\bmi\s+red\s+de\s+contactos\s+es\s+enorme\b|\bmy\s+network\s+is\s+huge\b",
    r"\bsoy\s+un\s+profesional\s+brillante\b|\bnato\b|\bguru\b|\bgur[uú]\b|\brockstar\b|\bninja\b",
    r"\bi\s+know\s+what\s+i'?m\s+doing\b|\bs[eé]\s+lo\s+que\s+hago\b",
]
ASK_JOB = [
    r"\b(?:busco|buscando|necesito|quiero|solicitar|conseguir|consigues|consigas|encontrar)"
    r"\b[^.?!\n]{0,40}?\b(?:trabajo|empleo|laburo|puesto|oportunidades|entrevista)\b",
    r"\bcontr[aá]t(?:ame|enme|anos|adme)\b|\bme\s+contrat\w*|\bme\s+contrates\b",
    r"\bme\s+(?:recomiendes|recomendaras|recomiendas|recomendás|recomiende)\b",
    r"\bmi\s+(?:cv|curr[ií]cul(?:um|o))\b|\bpas[aá]le\s+mi\b",
    r"\babiert[oa]\s+a\s+ofertas\b|\boferta\s+de\s+empleo\b|\bsigo\s+sin\s+trabajo\b",
    r"\blo\s+m[ií]o\b|\bnecesito\s+el\s+puesto\b|\bentrar\s+en\s+tu\s+empresa\b",
    r"\b(?:looking\s+for|need|want|seeking|apply\s+for|get\s+me|land|find)\b[^.?!\n]{0,30}?"
    r"\b(?:job|role|position|interview|opportunities)\b",
    r"\bhire\s+me\b|\brefer(?:red)?\s+me\b|\bmy\s+(?:cv|resume|résumé)\b",
    r"\bopen\s+to\s+offers\b|\bjob\s+(?:hunting|offer)\b|\bout\s+of\s+work\b",
    r"\bstill\s+no\s+job\b|\bmy\s+thing\b|\bget\s+into\s+your\s+company\b",
]
ASK_MONEY = [
    r"\b(?:necesito|busco|buscando|recaudar|levantar|levanto)\b[^.?!\n]{0,30}?"
    rf"\b(?:inversi[oó]n|financiaci[oó]n|dinero|inversores|capital|{_N}\s*(?:euros|€|millones|mil)"
    r"|dos\s+millones|un\s+mill[oó]n)",
    r"\b(?:invertir|inviertas|inviertes|invierta|financies|financie|financiar)\b",
    r"\b(?:need|raising|raise|looking\s+for|seeking)\b[^.?!\n]{0,30}?"
    rf"(?:\binvestment|\bfunding|\bmoney|\binvestors|\bcapital|\$\s*{_N}\w*|\b{_N}\s*(?:million|k)\b"
    r"|\btwo\s+million)",
    r"\b(?:want|like)\s+to\s+invest\b|\bwill\s+you\s+invest\b|\bfund\s+(?:it|my)\b",
    r"\bsocios?\b[^.?!\n]{0,20}\binvierta\b|\bso\s+(?:he|she)\s+invests\b",
]
ASK_SELL = [
    r"\bc[oó]mpra(?:me|lo|la|los|las)?\b|\bsi\s+compras\b|\bte\s+hago\s+(?:precio|descuento)\b",
    r"\bdescuento\b|\bmis\s+tarifas\b|\bmis\s+servicios\b|\bmi\s+cat[aá]logo\b",
    r"\bcerrar\s+una\s+venta\b|\bpropuesta\s+econ[oó]mica\b|\bdesc[aá]rga(?:la|lo|te)\b",
    r"\bvendo\s+mis\b|\bnecesito\s+(?:clientes|usuarios)\b|\bme\s+compras\b",
    r"\bbuy\s+(?:it|now|today|my|a)\b|\bdiscount\b|\bmy\s+rates\b|\bmy\s+services\b",
    r"\bmy\s+catalog(?:ue)?\b|\bclose\s+a\s+sale\b|\bfee\s+proposal\b|\bdownload\s+it\b",
    r"\bgood\s+price\b|\bselling\s+my\b|\bneed\s+(?:clients|users|customers)\b",
    r"\blooking\s+for\s+clients\b|\bbusco\s+clientes\b|\boffer\s+(?:my\s+)?\w+\s+services\b",
    r"\bofrezco\s+mis\b|\bofrecerle\s+mis\b",
]
OFFER = [
    r"\b(?:te|le|os|les)\s+(?:puedo\s+|podr[ií]a\s+)?(?:paso|pasar|env[ií]o|enviar|mando|mandar"
    r"|comparto|compartir|adjunto|dejo|presento|presentar|recomiendo|invito|reenv[ií]o)\b",
    r"\bte\s+l[oa]\s+(?:adjunto|paso|dejo|reenv[ií]o|mando|env[ií]o)\b|\bconozco\s+a\b",
    r"\bpodr[ií]a(?:n)?\s+(?:interesarte|interesarle|serte|serle|servirte|encajar|ayudarte"
    r"|ayudarle|interesar)\b",
    r"\bsi\s+te\s+sirve\b|\bpor\s+si\s+te\s+sirve\b|\bte\s+puede\s+servir\b|\bojal[aá]\s+te\s+sirva\b",
    r"\bsi\s+necesitas\b|\becharte\s+una\s+mano\b|\bdevolverte\s+el\s+favor\b",
    r"\bque\s+(?:os|te|se\s+lo|te\s+la|te\s+lo)\s+presente\b|\bte\s+comparto\b",
    r"\b(?:en\s+qu[eé]|c[oó]mo)\s+(?:puedo|podr[ií]a)\s+(?:ayudarte|serte|serle|ayudarle)\b",
    r"\bte\s+invito\s+a\b|\bte\s+vendr[ií]a\s+bien\b|\baqu[ií]\s+estoy\b|\bav[ií]same\b",
    r"\bdime\b|\bcontame\b|\bquer[eé]s\s+que\b|\bte\s+interesa\b|\bpuede\s+ayudarle\b",
    r"\bhappy\s+to\s+(?:send|share|help|introduce)\b|\bi\s+can\s+(?:send|share|introduce|help)\b",
    r"\bhere(?:'s|\s+is|\s+are)\b|\battached\s+is\b|\bsharing\b|\bi'll\s+send\b",
    r"\bi\s+know\s+(?:someone|two|a|an)\b|\bmight\s+(?:help|interest|be\s+a\s+fit|like)\b",
    r"\bcould\s+help\b|\bif\s+(?:it's|it\s+is|you'd\s+find\s+it)\s+useful\b|\bif\s+useful\b",
    r"\bif\s+it\s+helps\b|\bin\s+case\s+it\s+helps\b|\bintroduce\s+you\b|\bif\s+you\s+need\b",
    r"\bhope\s+it\s+helps\b|\breturn\s+the\s+favou?r\b|\bbe\s+useful\b|\bcoffee'?s\s+on\s+me\b",
    r"\bwant\s+me\s+to\b|\bshall\s+i\b|\bwould\s+you\s+like\s+an\s+introduction\b",
    r"\bthought\s+of\s+you\b|\bme\s+acord[eé]\s+de\s+ti\b|\bwould\s+love\s+to\s+swap\b",
]
TIMEBOX = re.compile(
    r"\b(?:15|20|30|quince|veinte|treinta)\s*(?:-\s*)?(?:minutos|minutes|minute|min)\b|"
    r"\bun\s+caf[eé]\b|\ba\s+coffee\b|\bcoffee\b",
    re.IGNORECASE,
)
