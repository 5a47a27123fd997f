"""Every string the app shows: ``t(key, lang, **fmt)``.

One small message catalogue instead of strings scattered in pages. English and
Russian live in :data:`MESSAGES` below; every other language of
:data:`audit.languages.LANGUAGES` is a gettext file
``audit/locales/<lang>/LC_MESSAGES/messages.po`` (msgid = the key), read once
at import with Babel. Values are Markdown written by us (never user text);
placeholders use ``str.format`` names, and values put into them by the pages
are escaped first where they come from people. Unit tests check that every
language has every key with the same placeholders and icon codes.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from babel.messages.pofile import read_po

from audit.languages import DEFAULT, LANGUAGES

LOCALES = Path(__file__).resolve().parent / "locales"

# key -> {"en": ..., "ru": ...}
MESSAGES: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- app, pages
    "app.title": {"en": "Touchpoint Audit", "ru": "Аудит точек контакта"},
    "ui.language": {"en": "Language", "ru": "Язык"},
    "language.en": {"en": "English", "ru": "Английский"},
    "language.ru": {"en": "Russian", "ru": "Русский"},
    "language.pl": {"en": "Polish", "ru": "Польский"},
    "page.welcome": {"en": "Welcome", "ru": "Начало"},
    "page.create": {"en": "Create an audit", "ru": "Создать аудит"},
    "page.open": {"en": "Open with a link", "ru": "Открыть по ссылке"},
    "page.invalid": {"en": "Link not valid", "ru": "Ссылка недействительна"},
    "page.rate": {"en": "Rate", "ru": "Оценка"},
    "page.add": {"en": "Add a touchpoint", "ru": "Добавить точку"},
    "page.board": {"en": "Live board", "ru": "Табло"},
    "page.present": {"en": "Presenter", "ru": "Презентация"},
    "page.links": {"en": "Links", "ru": "Ссылки"},
    "page.shopper": {"en": "Mystery shopper", "ru": "Тайный покупатель"},
    "page.review": {"en": "Shopper visits", "ru": "Визиты"},
    "page.standards": {"en": "Standards", "ru": "Стандарты"},
    "page.competitors": {"en": "Competitors", "ru": "Конкуренты"},
    "page.handoff": {"en": "Hand over", "ru": "Передать"},
    # ---------------------------------------------------------------- vocabulary
    "category.office": {"en": "Office", "ru": "Офис"},
    "category.product": {"en": "Product", "ru": "Продукт"},
    "category.technology": {"en": "Technology", "ru": "Технологии"},
    "category.staff": {"en": "Staff", "ru": "Персонал"},
    "stage.before": {"en": "Before purchase", "ru": "До покупки"},
    "stage.during": {"en": "During purchase", "ru": "Во время покупки"},
    "stage.after": {"en": "After purchase", "ru": "После покупки"},
    "channel.online": {"en": "Online", "ru": "Онлайн"},
    "channel.offline": {"en": "Offline", "ru": "Офлайн"},
    # Icons are Material Symbols (bundled with Streamlit, so they show on every device);
    # a reaction is always told by an icon *and* a word, never by colour alone.
    "presence.have": {"en": ":material/check_circle: We have it", "ru": ":material/check_circle: Есть"},
    "presence.missing": {"en": ":material/cancel: Missing", "ru": ":material/cancel: Нет"},
    "presence.not-needed": {"en": ":material/do_not_disturb_on: Not needed", "ru": ":material/do_not_disturb_on: Не нужна"},
    "reaction.positive": {"en": ":material/thumb_up: Positive", "ru": ":material/thumb_up: Позитивная"},
    "reaction.neutral": {"en": ":material/sentiment_neutral: Neutral", "ru": ":material/sentiment_neutral: Нейтральная"},
    "reaction.negative": {"en": ":material/thumb_down: Negative", "ru": ":material/thumb_down: Негативная"},
    "reaction_word.positive": {"en": "Positive", "ru": "Позитивная"},
    "reaction_word.neutral": {"en": "Neutral", "ru": "Нейтральная"},
    "reaction_word.negative": {"en": "Negative", "ru": "Негативная"},
    "presence_word.have": {"en": "We have it", "ru": "Есть"},
    "presence_word.missing": {"en": "Missing", "ru": "Нет"},
    "presence_word.not-needed": {"en": "Not needed", "ru": "Не нужна"},
    "role.owner": {"en": "owner", "ru": "владельца"},
    "role.team": {"en": "team", "ru": "команды"},
    "role.shopper": {"en": "shopper", "ru": "тайного покупателя"},
    "status.new": {"en": "Not rated yet", "ru": "Ещё не оценено"},
    "status.partial": {"en": "Partly rated", "ru": "Оценено частично"},
    "status.done": {"en": "Rated", "ru": "Оценено"},
    "status.skipped": {"en": "Not applicable", "ru": "Не применимо"},
    # ---------------------------------------------------------------- access, errors
    "access.denied": {"en": "This link does not allow that.", "ru": "Эта ссылка этого не позволяет."},
    "access.link_not_valid": {
        "en": "This link is not valid. It may be mistyped, or the facilitator may have replaced it with a new one.",
        "ru": "Эта ссылка недействительна. Возможно, в ней опечатка или ведущий заменил её на новую.",
    },
    "access.not_allowed": {
        "en": "This link does not open this page. Ask the facilitator for the right link.",
        "ru": "Эта ссылка не открывает эту страницу. Попросите у ведущего нужную ссылку.",
    },
    "access.not_participant": {
        "en": "This personal link does not belong to this audit. Please enter your name to join.",
        "ru": "Эта личная ссылка не относится к этому аудиту. Введите своё имя, чтобы присоединиться.",
    },
    "error.invalid_value": {"en": "Please check {field}: {rule}.", "ru": "Проверьте поле {field}: {rule}."},
    "error.refused": {"en": "This could not be done: {reason}.", "ru": "Не удалось: {reason}."},
    "error.unexpected": {
        "en": "Something went wrong on our side. Please try again in a moment; your saved answers are safe.",
        "ru": "Что-то пошло не так на нашей стороне. Попробуйте ещё раз чуть позже; сохранённые ответы не потеряны.",
    },
    "error.database": {
        "en": "The audit database cannot be reached right now. Please try again in a moment.",
        "ru": "База данных аудита сейчас недоступна. Попробуйте ещё раз чуть позже.",
    },
    "invalid.title": {"en": "This link is not valid", "ru": "Эта ссылка недействительна"},
    "invalid.body": {
        "en": "Ask the person who runs the audit for the current link, or start a new audit of your own.",
        "ru": "Попросите у того, кто проводит аудит, действующую ссылку или начните свой аудит.",
    },
    "invalid.home": {"en": "Start page", "ru": "На главную"},
    # ---------------------------------------------------------------- results, plan, waves (after the workshop)
    "page.results": {"en": "Results", "ru": "Результаты"},
    "page.plan": {"en": "Action plan", "ru": "План действий"},
    "page.waves": {"en": "Waves", "ru": "Волны"},
    "quadrant.concentrate": {"en": "Concentrate here", "ru": "Сосредоточиться здесь"},
    "quadrant.keep_up": {"en": "Keep up the good work", "ru": "Так держать"},
    "quadrant.low_priority": {"en": "Low priority", "ru": "Низкий приоритет"},
    "quadrant.overkill": {"en": "Possible overkill", "ru": "Возможно, избыточно"},
    "quadrant.not_placed": {"en": "Not rated yet", "ru": "Ещё не оценено"},
    "crosshair.mean": {"en": "Mean", "ru": "Среднее"},
    "crosshair.median": {"en": "Median", "ru": "Медиана"},
    "crosshair.midpoint": {"en": "Scale midpoint", "ru": "Середина шкалы"},
    "kind.fix_now": {"en": "Fix now", "ru": "Срочно исправить"},
    "kind.improve": {"en": "Improve", "ru": "Улучшить"},
    "kind.standard": {"en": "Set or enforce a standard", "ru": "Ввести или соблюдать стандарт"},
    "kind.amplify": {"en": "Keep and amplify", "ru": "Сохранить и усилить"},
    "kind.rethink": {"en": "Remove or rethink", "ru": "Убрать или переосмыслить"},
    "kind.add": {"en": "Add the missing touchpoint", "ru": "Добавить недостающую точку"},
    "horizon.week": {"en": "This week", "ru": "На этой неделе"},
    "horizon.month": {"en": "This month", "ru": "В этом месяце"},
    "horizon.quarter": {"en": "This quarter", "ru": "В этом квартале"},
    "action_status.todo": {"en": "To do", "ru": "Сделать"},
    "action_status.in_progress": {"en": "In progress", "ru": "В работе"},
    "action_status.done": {"en": "Done", "ru": "Готово"},
    "results.title": {"en": "Results", "ru": "Результаты"},
    "results.wave_of": {"en": "wave {wave}", "ru": "волна {wave}"},
    "results.wave": {"en": "Wave", "ru": "Волна"},
    "results.wave_n": {"en": "Wave {wave}", "ru": "Волна {wave}"},
    "results.share": {"en": "Share the results with the team (read-only)", "ru": "Показать результаты команде (только просмотр)"},
    "results.share_help": {
        "en": "People with the team link then see this page, without the plan, downloads or settings.",
        "ru": "Тогда те, у кого ссылка команды, увидят эту страницу — без плана, выгрузок и настроек.",
    },
    "results.shared_on": {"en": "The team link now shows the results.", "ru": "Теперь по ссылке команды видны результаты."},
    "results.shared_off": {"en": "The results are hidden from the team again.", "ru": "Результаты снова скрыты от команды."},
    "results.read_only": {
        "en": "The owner shares these results with the team. You can look, filter and compare; nothing here can be changed.",
        "ru": "Владелец открыл эти результаты команде. Их можно смотреть, фильтровать и сравнивать; изменить здесь ничего нельзя.",
    },
    "results.crosshair": {"en": "Where the quadrant lines sit", "ru": "Где проходят линии квадрантов"},
    "results.crosshair_help": {
        "en": "Mean and median place the lines at the centre of this audit's touchpoints; the scale midpoint places them "
        "at importance 5.5 and performance 0. The choice changes which quadrant some touchpoints fall into.",
        "ru": "Среднее и медиана ставят линии в центр точек этого аудита; середина шкалы — на важность 5,5 и оценку 0. "
        "От выбора зависит, в какой квадрант попадут некоторые точки.",
    },
    "results.crosshair_at": {
        "en": "Lines ({choice}): importance {importance}, performance {performance}. They are placed on all touchpoints, "
        "whatever the filters show.",
        "ru": "Линии ({choice}): важность {importance}, оценка {performance}. Они считаются по всем точкам, "
        "независимо от фильтров.",
    },
    "results.empty": {
        "en": "No ratings in wave {wave} yet: the charts of the team's votes appear with the first votes.",
        "ru": "В волне {wave} ещё нет оценок: графики по голосам команды появятся с первыми оценками.",
    },
    "results.empty_steps": {
        "en": "1. Share the team link (or its QR code) with colleagues.\n"
        "2. Each person rates importance and the customer's reaction.\n"
        "3. Come back here: the charts appear with the first votes.",
        "ru": "1. Отправьте коллегам ссылку команды (или покажите QR-код).\n"
        "2. Каждый оценит важность и реакцию клиента.\n"
        "3. Вернитесь сюда: графики появятся с первыми оценками.",
    },
    "results.filter_category": {"en": "Category", "ru": "Категория"},
    "results.filter_stage": {"en": "Journey stage", "ru": "Этап пути клиента"},
    "results.filter_channel": {"en": "Channel", "ru": "Канал"},
    "results.all": {"en": "All", "ru": "Все"},
    "results.filtered": {"en": "Showing {shown} of {total} touchpoints.", "ru": "Показано точек: {shown} из {total}."},
    "results.no_match": {"en": "No touchpoint matches these filters.", "ru": "Под эти фильтры не подходит ни одна точка."},
    "results.tab_ipa": {"en": "Priorities", "ru": "Приоритеты"},
    "results.tab_map": {"en": "Categories", "ru": "Категории"},
    "results.tab_chains": {"en": "Journeys", "ru": "Цепочки"},
    "results.tab_outside": {"en": "Shoppers & competitors", "ru": "Покупатели и конкуренты"},
    "results.tab_disagreement": {"en": "Disagreement", "ru": "Разногласия"},
    "results.tab_waves": {"en": "Waves", "ru": "Волны"},
    "results.ipa_title": {"en": "Importance and performance", "ru": "Важность и оценка"},
    "results.ipa_read": {
        "en": "How to read this: each dot is a touchpoint; higher means more important, further right means customers react "
        "better. Top left is where to act first.",
        "ru": "Как читать: каждая точка — точка контакта; выше — важнее, правее — лучше реакция клиентов. "
        "Левый верхний угол — то, чем заняться в первую очередь.",
    },
    "results.ipa_none": {
        "en": "No touchpoint has both an importance and a reaction yet: the matrix appears with the first complete votes.",
        "ru": "Пока нет точек, у которых есть и важность, и реакция: матрица появится с первыми полными оценками.",
    },
    "results.map_none": {
        "en": "No touchpoint shown here is rated yet.",
        "ru": "Ни одна из показанных точек ещё не оценена.",
    },
    "results.reactions_none": {
        "en": "No reactions given yet for the touchpoints shown.",
        "ru": "Для показанных точек реакций ещё нет.",
    },
    "results.axis_importance": {"en": "Importance (1–10)", "ru": "Важность (1–10)"},
    "results.axis_performance": {"en": "Performance (−1 to +1)", "ru": "Оценка (от −1 до +1)"},
    "results.legend_category": {"en": "Category", "ru": "Категория"},
    "results.legend_moves": {"en": "Quadrant depends on the lines", "ru": "Квадрант зависит от линий"},
    "results.moves_yes": {"en": "yes", "ru": "да"},
    "results.moves_no": {"en": "no", "ru": "нет"},
    "results.marker_stays": {"en": "● stays in its quadrant", "ru": "● остаётся в своём квадранте"},
    "results.marker_moves": {"en": "◆ changes quadrant if the lines move", "ru": "◆ меняет квадрант, если сдвинуть линии"},
    "results.marker_enough": {"en": "filled: enough raters", "ru": "закрашена: оценок достаточно"},
    "results.marker_few": {"en": "hollow: fewer than {minimum} raters", "ru": "пустая: меньше {minimum} оценок"},
    "results.tip_priority": {"en": "Priority", "ru": "Приоритет"},
    "results.tip_touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "results.tip_importance": {"en": "Importance", "ru": "Важность"},
    "results.tip_performance": {"en": "Performance", "ru": "Оценка"},
    "results.tip_raters": {"en": "Raters", "ru": "Оценивших"},
    "results.tip_quadrant": {"en": "Quadrant", "ru": "Квадрант"},
    "results.tip_rated": {"en": "Rated touchpoints", "ru": "Оценённых точек"},
    "results.tip_touchpoints": {"en": "Touchpoints", "ru": "Точек"},
    "results.tip_votes": {"en": "Votes", "ru": "Голосов"},
    "results.tip_chain": {"en": "Journey", "ru": "Цепочка"},
    "results.tip_status": {"en": "Status", "ru": "Состояние"},
    "results.tip_gap": {"en": "Shoppers minus team", "ru": "Покупатели минус команда"},
    "results.tip_blind": {"en": "Blind spot", "ru": "Слепое пятно"},
    "results.tip_competitor": {"en": "Competitor", "ru": "Конкурент"},
    "results.tip_source": {"en": "From", "ru": "Источник"},
    "results.tip_borrow": {"en": "What to borrow", "ru": "Что перенять"},
    "results.moves_title": {"en": "Touchpoints that move with the lines: {n}", "ru": "Точки, которые меняют квадрант вместе с линиями: {n}"},
    "results.moves_read": {
        "en": "These sit close to a line: their quadrant under each choice is listed, and they are drawn as diamonds. "
        "Decide about them with care.",
        "ru": "Эти точки лежат близко к линиям: ниже их квадрант при каждом выборе, на графике они ромбами. "
        "Решения по ним принимайте осторожно.",
    },
    "results.heat_title": {"en": "Categories by journey stage", "ru": "Категории по этапам пути клиента"},
    "results.heat_read": {
        "en": "How to read this: each cell is the mean performance of the rated touchpoints of one category at one stage; "
        "orange is weak, blue is strong; the counts say how many touchpoints are behind each number.",
        "ru": "Как читать: в клетке — средняя оценка оценённых точек одной категории на одном этапе; "
        "оранжевый — слабо, синий — сильно; числа показывают, сколько точек за цифрой.",
    },
    "results.heat_count": {"en": "{rated} of {total} rated", "ru": "оценено {rated} из {total}"},
    "results.axis_stage": {"en": "Journey stage", "ru": "Этап пути клиента"},
    "results.no_stage": {"en": "No stage", "ru": "Без этапа"},
    "results.reactions_title": {"en": "Reactions per category", "ru": "Реакции по категориям"},
    "results.reactions_read": {
        "en": "How to read this: each bar splits the team's votes of one category into positive, neutral and negative; "
        "a long orange part means many negative reactions.",
        "ru": "Как читать: каждая полоса делит голоса команды по категории на позитивные, нейтральные и негативные; "
        "длинная оранжевая часть — много негатива.",
    },
    "results.axis_share": {"en": "Share of votes", "ru": "Доля голосов"},
    "results.legend_reaction": {"en": "Reaction", "ru": "Реакция"},
    "results.chains_title": {"en": "Customer journeys", "ru": "Цепочки (пути клиента)"},
    "results.chains_read": {
        "en": "How to read this: each row is a journey, left to right; colour is the team's reaction at each link. "
        "A cross marks where the chain breaks (the customer is lost); the faded links after it are never reached.",
        "ru": "Как читать: каждая строка — путь клиента слева направо; цвет — реакция команды в каждом звене. "
        "Крестик — место разрыва (здесь клиента теряют); бледные звенья после него клиент не проходит.",
    },
    "results.chains_none": {
        "en": "No journey to show: this catalog has no chains, or the filters hide all their links.",
        "ru": "Показать нечего: в каталоге нет цепочек или фильтры скрыли все их звенья.",
    },
    "results.axis_link": {"en": "Link", "ru": "Звено"},
    "results.mixed": {"en": "Split", "ru": "Мнения разделились"},
    "results.not_rated": {"en": "Not rated yet", "ru": "Ещё не оценено"},
    "results.chain_break": {"en": "Breaks here: customer lost", "ru": "Разрыв: клиент потерян"},
    "results.chain_unreached": {"en": "Not reached (after the break)", "ru": "Не достигается (после разрыва)"},
    "results.chain_weakest": {"en": "Weakest link", "ru": "Самое слабое звено"},
    "results.chain_ok": {"en": "OK", "ru": "В порядке"},
    "results.col_links": {"en": "Links", "ru": "Звеньев"},
    "results.col_rated_links": {"en": "Rated links", "ru": "Оценённых звеньев"},
    "results.col_broken_at": {"en": "Breaks at", "ru": "Где рвётся"},
    "results.col_unreached": {"en": "Links never reached", "ru": "Недостижимых звеньев"},
    "results.link_n": {"en": "link {n}", "ru": "звено {n}"},
    "results.intact": {"en": "Does not break", "ru": "Не рвётся"},
    "results.blind_title": {"en": "Blind spots: team and shoppers", "ru": "Слепые пятна: команда и покупатели"},
    "results.blind_read": {
        "en": "How to read this: for each touchpoint the blue dot is the team's view, the orange diamond what mystery shoppers met; "
        "the longer the line between them, the bigger the blind spot. Largest gaps first.",
        "ru": "Как читать: синяя точка — мнение команды, оранжевый ромб — что встретили тайные покупатели; "
        "чем длиннее линия между ними, тем больше слепое пятно. Сверху — самые большие расхождения.",
    },
    "results.blind_none": {
        "en": "No touchpoint has both team votes and accepted shopper visits yet.",
        "ru": "Пока нет точек, у которых есть и оценки команды, и принятые визиты тайных покупателей.",
    },
    "results.blind_yes": {"en": "yes", "ru": "да"},
    "results.legend_who": {"en": "Who", "ru": "Кто"},
    "results.who_team": {"en": "Team", "ru": "Команда"},
    "results.who_shoppers": {"en": "Shoppers", "ru": "Покупатели"},
    "results.competitors_title": {"en": "Us and our competitors", "ru": "Мы и конкуренты"},
    "results.competitors_read": {
        "en": "How to read this: each cell says how a competitor does at a touchpoint compared with us; orange means they do "
        "better (see what to borrow in the tooltip), blue means we do better.",
        "ru": "Как читать: клетка показывает, как конкурент справляется с точкой по сравнению с нами; оранжевый — у них лучше "
        "(что перенять — в подсказке), синий — лучше у нас.",
    },
    "results.competitors_none": {
        "en": "No competitor comparison yet (competitor notes, or shopper visits to a competitor and to us).",
        "ru": "Сравнения с конкурентами пока нет (нужны заметки о конкурентах или визиты покупателей к ним и к нам).",
    },
    "results.legend_versus": {"en": "They, compared with us", "ru": "Они по сравнению с нами"},
    "results.versus_better": {"en": "Better than us", "ru": "Лучше нас"},
    "results.versus_same": {"en": "The same", "ru": "Так же"},
    "results.versus_worse": {"en": "Worse than us", "ru": "Хуже нас"},
    "results.source_note": {"en": "Competitor note", "ru": "Заметка о конкуренте"},
    "results.source_shoppers": {"en": "Shopper visits", "ru": "Визиты покупателей"},
    "results.disagreement_title": {"en": "Where the team disagrees", "ru": "Где команда не согласна"},
    "results.disagreement_read": {
        "en": "How to read this: touchpoints with the widest spread of importance and reactions, at least two voters. "
        "Disagreement is information: discuss these before deciding.",
        "ru": "Как читать: точки с самым большим разбросом важности и реакций, не меньше двух голосов. "
        "Разногласие — это информация: обсудите эти точки, прежде чем решать.",
    },
    "results.disagreement_none": {"en": "The team agrees everywhere so far.", "ru": "Пока команда везде согласна."},
    "results.col_spread": {"en": "Importance spread", "ru": "Разброс важности"},
    "results.col_disagreement": {"en": "Disagreement", "ru": "Разногласие"},
    "waves.title": {"en": "Audit waves", "ru": "Волны аудита"},
    "waves.intro": {
        "en": "Audit again later to see what changed. A new wave keeps the catalog, the links and the plan; "
        "its ratings, shopper visits and competitor notes start empty. Earlier waves stay as they are.",
        "ru": "Проведите аудит ещё раз позже и посмотрите, что изменилось. Новая волна сохраняет каталог, ссылки и план; "
        "оценки, визиты тайных покупателей и заметки о конкурентах в ней начинаются заново. Прошлые волны не меняются.",
    },
    "waves.current": {"en": "Current wave", "ru": "Текущая волна"},
    "waves.col_wave": {"en": "Wave", "ru": "Волна"},
    "waves.col_ratings": {"en": "Ratings", "ru": "Оценок"},
    "waves.col_raters": {"en": "People who rated", "ru": "Оценивших"},
    "waves.col_visits": {"en": "Shopper visits", "ru": "Визитов покупателей"},
    "waves.col_notes": {"en": "Competitor notes", "ru": "Заметок о конкурентах"},
    "waves.see_results": {"en": "Compare the waves on the results page", "ru": "Сравнить волны на странице результатов"},
    "waves.next_title": {"en": "Start wave {wave}", "ru": "Начать волну {wave}"},
    "waves.next_body": {
        "en": "From then on, the team link and the shopper link collect answers for the new wave. "
        "Share the team link again when you are ready.",
        "ru": "После этого ссылки команды и тайного покупателя собирают ответы уже для новой волны. "
        "Когда будете готовы, снова отправьте команде её ссылку.",
    },
    "waves.current_empty": {
        "en": "Wave {wave} has no ratings yet: starting a new wave now leaves it empty.",
        "ru": "В волне {wave} ещё нет оценок: если начать новую волну сейчас, она останется пустой.",
    },
    "waves.next_sure": {"en": "Yes, start wave {wave}", "ru": "Да, начать волну {wave}"},
    "waves.next_button": {"en": "Start wave {wave}", "ru": "Начать волну {wave}"},
    "waves.started": {
        "en": "Wave {wave} has started. The team can rate again with the same link.",
        "ru": "Волна {wave} началась. Команда может оценивать снова по той же ссылке.",
    },
    "waves.compare_title": {"en": "Compare two waves", "ru": "Сравнение двух волн"},
    "waves.compare_read": {
        "en": "How to read this: per touchpoint the change in performance between the waves and the quadrant before and after. Both waves sit on the same fixed lines, so a touchpoint that changes quadrant has moved itself, not the average around it. Blue bars improved, orange ones did not.",
        "ru": "Как читать: для каждой точки — изменение оценки между волнами и квадрант до и после. Обе волны размещены на одних и тех же неподвижных линиях, поэтому точка, сменившая квадрант, сдвинулась сама, а не среднее вокруг неё. Синие полосы — улучшение, оранжевые — нет.",
    },
    "waves.before": {"en": "Earlier wave", "ru": "Ранняя волна"},
    "waves.after": {"en": "Later wave", "ru": "Поздняя волна"},
    "waves.anchor": {"en": "Lines for both waves", "ru": "Линии для обеих волн"},
    "waves.anchor_first": {"en": "Earlier wave's lines", "ru": "Линии ранней волны"},
    "waves.anchor_midpoint": {"en": "Scale midpoint", "ru": "Середина шкалы"},
    "waves.anchor_help": {
        "en": "The quadrant lines stay where they are for both waves: where the earlier wave's crosshair put them, or in the middle of each scale. A mean moves from wave to wave; fixed lines show only real moves.",
        "ru": "Линии квадрантов одни и те же для обеих волн: там, где их поставило перекрестие ранней волны, или посередине каждой шкалы. Среднее меняется от волны к волне, а неподвижные линии показывают только настоящие сдвиги.",
    },
    "waves.lines_first": {
        "en": "Both waves are placed on the lines of wave {wave} ({choice}): importance {importance}, performance {performance}.",
        "ru": "Обе волны размещены на линиях волны {wave} ({choice}): важность {importance}, оценка {performance}.",
    },
    "waves.lines_midpoint": {
        "en": "Both waves are placed on the scale midpoint: importance {importance}, performance {performance}.",
        "ru": "Обе волны размещены по середине шкал: важность {importance}, оценка {performance}.",
    },
    "waves.same_wave": {"en": "Choose two different waves to compare.", "ru": "Выберите две разные волны для сравнения."},
    "waves.nothing_to_compare": {
        "en": "No touchpoint has reaction votes in both wave {before} and wave {after} yet.",
        "ru": "Пока нет точек с оценками реакции и в волне {before}, и в волне {after}.",
    },
    "waves.moved_title": {"en": "Touchpoints that changed quadrant: {n}", "ru": "Точки, сменившие квадрант: {n}"},
    "waves.all_title": {"en": "Every compared touchpoint ({n})", "ru": "Все сравнённые точки ({n})"},
    "waves.axis_change": {"en": "Change in performance", "ru": "Изменение оценки"},
    "waves.better": {"en": "Improved", "ru": "Улучшилось"},
    "waves.worse_or_same": {"en": "Not improved", "ru": "Не улучшилось"},
    "waves.col_before": {"en": "Performance before", "ru": "Оценка до"},
    "waves.col_after": {"en": "Performance after", "ru": "Оценка после"},
    "waves.col_change": {"en": "Change", "ru": "Изменение"},
    "waves.col_quadrant": {"en": "Quadrant", "ru": "Квадрант"},
    "waves.col_quadrant_before": {"en": "Quadrant before", "ru": "Квадрант до"},
    "waves.col_quadrant_after": {"en": "Quadrant after", "ru": "Квадрант после"},
    "waves.done_title": {"en": "Done, but not better: {n}", "ru": "Сделано, но не стало лучше: {n}"},
    "waves.done_read": {
        "en": "Plan actions marked done whose touchpoint did not improve between these waves: check whether the work reached the customer.",
        "ru": "Действия плана с отметкой «готово», чья точка между этими волнами не улучшилась: проверьте, дошла ли работа до клиента.",
    },
    "waves.col_reason": {"en": "Why listed", "ru": "Почему в списке"},
    "waves.reason_same": {"en": "No improvement", "ru": "Нет улучшения"},
    "waves.reason_not_again": {"en": "Not rated in the later wave", "ru": "Не оценена в поздней волне"},
    "waves.reason_not_before": {"en": "Not rated in the earlier wave", "ru": "Не оценена в ранней волне"},
    "plan.title": {"en": "Action plan", "ru": "План действий"},
    "plan.intro": {
        "en": "What to do, who does it, by when, to what standard. Change any cell and it is saved at once; add rows at the bottom, "
        "delete rows by selecting them, and reorder by changing the number in the first column. "
        "Suggestions nobody touched follow new ratings by themselves; rows you edited stay as you wrote them and say when the data "
        "now suggests something else. Edited suggestions keep their original (see the details below).",
        "ru": "Что сделать, кто делает, к какому сроку и по какому стандарту. Любая правка в ячейке сохраняется сразу; "
        "новые строки добавляются внизу, удалить строку можно, выделив её, а порядок меняется числом в первом столбце. "
        "Нетронутые предложения сами следуют за новыми оценками; изменённые вами строки остаются как есть и показывают, "
        "если данные теперь предлагают другое. Исходная версия изменённых предложений сохраняется (см. подробности ниже).",
    },
    "plan.empty": {
        "en": "No plan yet: it is suggested from the results as soon as the team has rated. You can also add actions yourself below.",
        "ru": "Плана пока нет: он будет предложен по результатам, как только команда поставит оценки. "
        "Можно добавить действия и самостоятельно ниже.",
    },
    "plan.col_order": {"en": "#", "ru": "№"},
    "plan.col_touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "plan.col_category": {"en": "Category", "ru": "Категория"},
    "plan.col_kind": {"en": "Action type", "ru": "Тип действия"},
    "plan.col_what": {"en": "What to do", "ru": "Что сделать"},
    "plan.col_owner": {"en": "Who", "ru": "Кто"},
    "plan.col_horizon": {"en": "Horizon", "ru": "Горизонт"},
    "plan.col_due": {"en": "Due", "ru": "Срок"},
    "plan.col_standard": {"en": "Standard to reach", "ru": "Стандарт"},
    "plan.col_status": {"en": "Status", "ru": "Статус"},
    "plan.col_notes": {"en": "Notes", "ru": "Заметки"},
    "plan.col_priority": {"en": "Priority", "ru": "Приоритет"},
    "plan.col_touchpoint_id": {"en": "touchpoint_id", "ru": "id точки"},
    "plan.col_action_id": {"en": "action_id", "ru": "id действия"},
    "plan.col_field": {"en": "Field", "ru": "Поле"},
    "plan.col_suggested": {"en": "Suggested", "ru": "Было предложено"},
    "plan.col_now": {"en": "Now", "ru": "Сейчас"},
    "plan.col_data_says": {"en": "Data now says", "ru": "Данные теперь говорят"},
    "plan.col_few_raters": {"en": "Few raters", "ru": "Мало оценок"},
    "plan.few_raters": {"en": "only {raters} rater(s)", "ru": "оценок: {raters}"},
    "plan.data_says_kind": {"en": "Data now says: {kind} ({quadrant}, priority {priority})", "ru": "Данные теперь говорят: {kind} ({quadrant}, приоритет {priority})"},
    "plan.data_says_none": {"en": "Data now says: no action needed ({quadrant}, priority {priority})", "ru": "Данные теперь говорят: действие не нужно ({quadrant}, приоритет {priority})"},
    "plan.data_says_help": {"en": "Rows you edited stay as you wrote them. When the latest ratings suggest another action for that touchpoint, or none, it is said here; untouched suggestions follow the ratings by themselves.", "ru": "Строки, которые вы изменили, остаются как есть. Если свежие оценки предлагают для этой точки другое действие или никакого, это видно здесь; нетронутые предложения сами следуют за оценками."},
    "plan.few_raters_help": {"en": "The team numbers of this touchpoint rest on fewer than {minimum} raters: discuss before acting.", "ru": "Оценки команды по этой точке опираются меньше чем на {minimum} человек: обсудите, прежде чем действовать."},
    "plan.order_help": {
        "en": "Type a new place (1 = top) to move the action there.",
        "ru": "Введите новое место (1 — в начало), чтобы передвинуть действие.",
    },
    "plan.saved_note": {"en": "Changes are saved as soon as you leave a cell.", "ru": "Изменения сохраняются, как только вы выходите из ячейки."},
    "plan.saved_at": {"en": ":material/check: All changes saved ({time}).", "ru": ":material/check: Все изменения сохранены ({time})."},
    "plan.reload": {"en": "Reload the plan", "ru": "Обновить план"},
    "plan.pending": {
        "en": "The new row is kept once it has a touchpoint and a \"what to do\".",
        "ru": "Новая строка сохранится, когда у неё будут точка контакта и «что сделать».",
    },
    "plan.refused": {"en": "This change was not saved; the plan is shown as stored:", "ru": "Это изменение не сохранено; план показан в сохранённом виде:"},
    "plan.row": {"en": "row {row}", "ru": "строка {row}"},
    "plan.new_row": {"en": "new row", "ru": "новая строка"},
    "plan.details": {"en": "Details of an action: evidence and the original suggestion", "ru": "Подробнее о действии: основания и исходное предложение"},
    "plan.details_pick": {"en": "Action", "ru": "Действие"},
    "plan.evidence": {"en": "Why it is in the plan", "ru": "Почему это в плане"},
    "plan.no_evidence": {"en": "No evidence recorded.", "ru": "Основания не записаны."},
    "plan.added_by_hand": {"en": "Added by hand: there is no generated suggestion.", "ru": "Добавлено вручную: автоматического предложения нет."},
    "plan.as_suggested": {"en": "Unchanged since it was suggested.", "ru": "Не менялось с момента предложения."},
    "plan.suggested_title": {"en": "Changed from the suggestion", "ru": "Изменения относительно предложения"},
    "plan.download_title": {"en": "Download", "ru": "Выгрузка"},
    "plan.download_help": {
        "en": "The Excel workbook has the plan first, then scores, categories, journeys, ratings, shopper visits and competitors, "
        "in the audit's language and ready to print; the PDF report is the owner's summary. Both use the quadrant lines chosen "
        "on the results page. Change Who, Due, Status or Notes in the workbook and upload it back below.",
        "ru": "В книге Excel сначала план, затем оценки, категории, цепочки, ответы, визиты покупателей и конкуренты — на языке "
        "аудита и готовые к печати; отчёт PDF — краткая сводка для владельца. Оба используют линии квадрантов, выбранные на "
        "странице результатов. Измените в книге «Кто», «Срок», «Статус» или «Заметки» и загрузите её обратно ниже.",
    },
    "plan.xlsx_prepare": {"en": "Prepare the Excel workbook", "ru": "Подготовить книгу Excel"},
    "plan.xlsx_download": {"en": "Download the Excel workbook", "ru": "Скачать книгу Excel"},
    "plan.xlsx_ready": {"en": "Workbook prepared at {time}; it includes every change saved before then.", "ru": "Книга подготовлена в {time} и включает все изменения, сохранённые до этого."},
    "plan.xlsx_step.load": {"en": "Reading the audit…", "ru": "Читаем аудит…"},
    "plan.xlsx_step.analyse": {"en": "Computing the scores…", "ru": "Считаем оценки…"},
    "plan.xlsx_step.plan": {"en": "Collecting the plan…", "ru": "Собираем план…"},
    "plan.xlsx_step.write": {"en": "Writing the sheets…", "ru": "Записываем листы…"},
    "plan.xlsx_step.done": {"en": "Done.", "ru": "Готово."},
    "plan.csv_download": {"en": "Download the plan as CSV", "ru": "Скачать план в CSV"},
    # ---------------------------------------------------------------- hand the plan over (calendar, trackers, CRMs)
    "plan.ics_download": {"en": "Add to a calendar (.ics)", "ru": "В календарь (.ics)"},
    "handoff.text_owner": {"en": "Owner: {owner}", "ru": "Ответственный: {owner}"},
    "handoff.text_standard": {"en": "Standard to reach: {standard}", "ru": "Стандарт: {standard}"},
    "handoff.text_priority": {"en": "Priority: {priority} ({horizon})", "ru": "Приоритет: {priority} ({horizon})"},
    "handoff.text_due": {"en": "Due: {due}", "ru": "Срок: {due}"},
    "handoff.text_source": {
        "en": "From the touchpoint audit “{audit}” (ref {ref})",
        "ru": "Из аудита точек контакта «{audit}» (ref {ref})",
    },
    "handoff.done_note": {"en": "Done in {target} on {date}.", "ru": "Выполнено в {target} {date}."},
    "handoff.title": {"en": "Hand the plan over", "ru": "Передать план"},
    "handoff.intro": {
        "en": "Send the plan where the work happens: a calendar, Jira or Asana, Bitrix24 or amoCRM. "
        "Only you (the owner link) see this page.",
        "ru": "Отправьте план туда, где идёт работа: в календарь, Jira или Asana, Битрикс24 или amoCRM. "
        "Эту страницу видите только вы (по ссылке владельца).",
    },
    "handoff.files_title": {"en": "Files", "ru": "Файлы"},
    "handoff.files_help": {
        "en": "The calendar has one all-day event per action with a due date; importing it again updates the events. "
        "In the Jira importer choose the date format yyyy-MM-dd. No file holds a link to this audit.",
        "ru": "В календаре — по событию на весь день для каждого действия со сроком; повторный импорт обновляет события. "
        "В импорте Jira выберите формат даты yyyy-MM-dd. Ни в одном файле нет ссылки на этот аудит.",
    },
    "handoff.jira_download": {"en": "Jira CSV", "ru": "CSV для Jira"},
    "handoff.asana_download": {"en": "Asana CSV", "ru": "CSV для Asana"},
    "handoff.zone_title": {"en": "Time zone of the deadlines", "ru": "Часовой пояс сроков"},
    "handoff.zone_help": {
        "en": "A task is due at the end of its due day in this zone.",
        "ru": "Задача должна быть выполнена к концу дня срока в этом поясе.",
    },
    "handoff.zone_server": {"en": "The server's zone ({zone})", "ru": "Пояс сервера ({zone})"},
    "handoff.zone_saved": {"en": "Deadlines now use {zone}.", "ru": "Сроки теперь в поясе {zone}."},
    "handoff.connection": {"en": "Connection", "ru": "Подключение"},
    "handoff.connected": {"en": "Connected: {shown}", "ru": "Подключено: {shown}"},
    "handoff.disconnect": {"en": "Remove the connection", "ru": "Удалить подключение"},
    "handoff.disconnected": {
        "en": "The connection was removed. Task ids are kept: connecting the same place again does not duplicate tasks.",
        "ru": "Подключение удалено. Номера задач сохранены: повторное подключение того же портала не создаст дублей.",
    },
    "handoff.saved": {"en": "Saved. The secret is stored encrypted and is shown masked only.",
                      "ru": "Сохранено. Секрет хранится зашифрованным и показывается только скрытым."},
    "handoff.forgot": {
        "en": "This is another portal or account: the earlier people and task ids were forgotten.",
        "ru": "Это другой портал или аккаунт: прежние сопоставления людей и номера задач забыты.",
    },
    "handoff.save": {"en": "Save the connection", "ru": "Сохранить подключение"},
    "handoff.b24_help": {
        "en": "In Bitrix24 open Developer resources → Other → Incoming webhook, give it the permissions **Tasks** (task) "
        "and **Users** (user), and paste its address here. It looks like https://PORTAL/rest/1/SECRET/.",
        "ru": "В Битрикс24 откройте «Разработчикам» → «Другое» → «Входящий вебхук», дайте права **Задачи** (task) "
        "и **Пользователи** (user) и вставьте сюда его адрес. Он выглядит так: https://ПОРТАЛ/rest/1/СЕКРЕТ/.",
    },
    "handoff.b24_url": {"en": "Incoming webhook address", "ru": "Адрес входящего вебхука"},
    "handoff.amo_help": {
        "en": "In amoCRM or Kommo open Settings → Integrations, create a private integration and copy its long-lived token. "
        "The account is your address: mycompany (for mycompany.amocrm.ru) or mycompany.kommo.com.",
        "ru": "В amoCRM или Kommo откройте «Настройки» → «Интеграции», создайте приватную интеграцию и скопируйте "
        "долгосрочный токен. Аккаунт — это ваш адрес: mycompany (для mycompany.amocrm.ru) или mycompany.kommo.com.",
    },
    "handoff.amo_account": {"en": "Account", "ru": "Аккаунт"},
    "handoff.amo_token": {"en": "Long-lived token", "ru": "Долгосрочный токен"},
    "handoff.amo_task_type": {"en": "Task type (1 = follow-up, 2 = meeting)", "ru": "Тип задачи (1 — связаться, 2 — встреча)"},
    "handoff.people_title": {"en": "Who gets which tasks", "ru": "Кому какие задачи"},
    "handoff.people_help": {
        "en": "Choose a person of {target} for every owner in the plan. Actions of an owner without a person are not sent.",
        "ru": "Выберите человека из {target} для каждого ответственного в плане. Действия без сопоставленного человека не отправляются.",
    },
    "handoff.people_load": {"en": "Load people from {target}", "ru": "Загрузить людей из {target}"},
    "handoff.people_save": {"en": "Save who gets which tasks", "ru": "Сохранить сопоставление"},
    "handoff.people_saved": {"en": "Saved: {n} owner(s) have a person.", "ru": "Сохранено: людей назначено — {n}."},
    "handoff.people_nobody": {"en": "— nobody —", "ru": "— никто —"},
    "handoff.no_owner": {"en": "(actions without an owner)", "ru": "(действия без ответственного)"},
    "handoff.push_title": {"en": "Send the plan", "ru": "Отправить план"},
    "handoff.push_help": {
        "en": "The first push creates a task per action; the next ones update only what changed. "
        "If a push stops, push again: it continues with the rest and never creates a task twice.",
        "ru": "Первая отправка создаёт по задаче на действие, следующие обновляют только изменённое. "
        "Если отправка прервалась, отправьте снова: она продолжит с оставшихся и не создаст задачу дважды.",
    },
    "handoff.push": {"en": "Push the plan to {target}", "ru": "Отправить план в {target}"},
    "handoff.stop": {"en": "Stop", "ru": "Остановить"},
    "handoff.counts": {
        "en": "{pushed} of {total} actions have a task in {target}; {failed} refused; {waiting} not sent yet.",
        "ru": "Задачи в {target} есть у {pushed} из {total} действий; отказов — {failed}; ещё не отправлено — {waiting}.",
    },
    "handoff.progress": {"en": "Sending… {n} of {total}", "ru": "Отправляем… {n} из {total}"},
    "handoff.finished": {
        "en": "Done: {created} created, {updated} updated, {found} found again after a lost answer, {problems} refused.",
        "ru": "Готово: создано {created}, обновлено {updated}, найдено после потерянного ответа {found}, отказов {problems}.",
    },
    "handoff.stopped": {
        "en": "Stopped: {error} Tasks already sent keep their ids; push again to continue with the rest.",
        "ru": "Остановлено: {error} Отправленные задачи сохранили номера; отправьте снова, чтобы продолжить.",
    },
    "handoff.problem": {"en": "Action {number} “{title}”: {reason}", "ru": "Действие {number} «{title}»: {reason}"},
    "handoff.skip.no_person": {"en": "no person chosen for the owner “{owner}”", "ru": "не выбран человек для «{owner}»"},
    "handoff.skip.no_due": {"en": "no due date (amoCRM needs one)", "ru": "нет срока (amoCRM требует срок)"},
    "handoff.skip.busy": {"en": "another push is sending it right now", "ru": "его сейчас отправляет другая отправка"},
    "handoff.skipped": {"en": "Not sent ({n}):", "ru": "Не отправлено ({n}):"},
    "handoff.refresh": {"en": "Refresh from {target}", "ru": "Обновить из {target}"},
    "handoff.refreshed": {
        "en": "{target}: {done} done ({done_now} newly marked done in the plan), {open} open, {gone} deleted there.",
        "ru": "{target}: выполнено {done} (в плане отмечено сейчас {done_now}), открыто {open}, удалено там {gone}.",
    },
    "handoff.error.address_ip": {"en": "{host} is an IP address; give the host name.", "ru": "{host} — это IP-адрес; укажите имя хоста."},
    "handoff.error.address_name": {"en": "{host} is not a host name.", "ru": "{host} — не имя хоста."},
    "handoff.error.address_private": {"en": "{host} is not a public address; internal addresses are refused.",
                                      "ru": "{host} — не публичный адрес; внутренние адреса не принимаются."},
    "handoff.error.address_unknown": {"en": "{host} cannot be found.", "ru": "{host} не найден."},
    "handoff.error.address_long": {"en": "The address is longer than {limit} characters.", "ru": "Адрес длиннее {limit} символов."},
    "handoff.error.address_form": {"en": "The address may not hold a user, a query or a fragment.",
                                   "ru": "В адресе не должно быть пользователя, параметров запроса или фрагмента."},
    "handoff.error.address_https": {"en": "Only https:// addresses are accepted.", "ru": "Принимаются только адреса https://."},
    "handoff.error.address_webhook": {"en": "A Bitrix24 webhook looks like https://PORTAL/rest/USER_ID/SECRET/.",
                                      "ru": "Вебхук Битрикс24 выглядит так: https://ПОРТАЛ/rest/ID_ПОЛЬЗОВАТЕЛЯ/СЕКРЕТ/."},
    "handoff.error.address_amo": {"en": "{host} is not an amoCRM or Kommo account.", "ru": "{host} — не аккаунт amoCRM или Kommo."},
    "handoff.error.key_short": {"en": "AUDIT_SECRET_KEY must be a Fernet key or at least {limit} random characters.",
                                "ru": "AUDIT_SECRET_KEY должен быть ключом Fernet или не короче {limit} случайных символов."},
    "handoff.error.key_missing": {"en": "Set AUDIT_SECRET_KEY (the same on every app replica) to keep connection secrets.",
                                  "ru": "Задайте AUDIT_SECRET_KEY (одинаковый на всех копиях приложения), чтобы хранить секреты подключений."},
    "handoff.error.key_changed": {"en": "The saved secret cannot be opened with this key; save the connection again.",
                                  "ru": "Сохранённый секрет не открывается этим ключом; сохраните подключение заново."},
    "handoff.error.key_file": {"en": "The key file {path} is not a regular file.", "ru": "Файл ключа {path} — не обычный файл."},
    "handoff.error.rate_limited": {"en": "{host} kept asking to slow down; try again in a few minutes.",
                                   "ru": "{host} продолжает просить снизить частоту запросов; попробуйте через несколько минут."},
    "handoff.error.unreachable": {"en": "{host} did not answer (network error).", "ru": "{host} не ответил (ошибка сети)."},
    "handoff.error.too_large": {"en": "{host} answered with more than {limit} bytes.", "ru": "{host} прислал ответ больше {limit} байт."},
    "handoff.error.auth": {"en": "{host} does not accept this webhook or token (wrong, removed or expired).",
                           "ru": "{host} не принимает этот вебхук или токен (неверный, удалён или истёк)."},
    "handoff.error.scope": {"en": "The webhook or token of {host} may not call {method}; give it the task and user permissions.",
                            "ru": "Вебхуку или токену {host} нельзя вызывать {method}; дайте ему права на задачи и пользователей."},
    "handoff.error.broken": {"en": "{host} answered with an error ({status}).", "ru": "{host} ответил ошибкой ({status})."},
    "handoff.error.refused": {"en": "{host} refused: {reason}", "ru": "{host} отказал: {reason}"},
    "handoff.error.payment": {"en": "The account {host} is not paid for.", "ru": "Аккаунт {host} не оплачен."},
    "handoff.error.not_connected": {"en": "{target} is not connected.", "ru": "{target} не подключён."},
    "handoff.error.failed": {"en": "The hand-off failed.", "ru": "Передача не удалась."},
    "plan.upload_title": {"en": "Upload an edited workbook", "ru": "Загрузить изменённую книгу"},
    "plan.upload_help": {
        "en": "Who, Due, Status and Notes are read back (a blank cell means empty), matched by the action id column; grey columns are "
        "read-only and an edit there is shown, not applied. Rows deleted in the file are listed and you choose whether to delete them. "
        "You see every change before anything is applied; a file with a problem is not applied at all.",
        "ru": "Считываются «Кто», «Срок», «Статус» и «Заметки» (пустая ячейка означает «пусто»), строки сопоставляются по коду "
        "действия; серые столбцы только для чтения, правка в них будет показана, но не применится. Удалённые в файле строки "
        "будут перечислены, и вы решите, удалять ли их. Перед применением вы увидите все изменения; файл с ошибкой не применяется совсем.",
    },
    "plan.upload": {"en": "Workbook (.xlsx) downloaded from this audit", "ru": "Книга (.xlsx), выгруженная из этого аудита"},
    "plan.upload_applied": {"en": "Applied: {n} actions updated from the workbook.", "ru": "Применено: из книги обновлено действий — {n}."},
    "roundtrip.refused": {
        "en": "{file} was not applied: {n} problem(s) found. Nothing was changed. Fix them in the file and upload it again.",
        "ru": "Файл {file} не применён: найдено проблем — {n}. Ничего не изменено. Исправьте их в файле и загрузите снова.",
    },
    "roundtrip.more": {"en": "…and {n} more.", "ru": "…и ещё {n}."},
    "roundtrip.at_row": {"en": "Row {row}: {text}", "ru": "Строка {row}: {text}"},
    "roundtrip.no_changes": {
        "en": "This workbook has no changes to status, owner, due date or notes.",
        "ru": "В этой книге нет изменений статуса, ответственного, срока или заметок.",
    },
    "roundtrip.preview": {"en": "{n} change(s) to {actions} action(s): check them, then apply.", "ru": "Изменений: {n}, действий: {actions}. Проверьте и примените."},
    "roundtrip.col_row": {"en": "Excel row", "ru": "Строка Excel"},
    "roundtrip.col_before": {"en": "Now", "ru": "Сейчас"},
    "roundtrip.col_after": {"en": "In the file", "ru": "В файле"},
    "roundtrip.apply": {"en": "Apply {n} change(s)", "ru": "Применить изменения ({n})"},
    "roundtrip.not_workbook": {
        "en": "this file is not an Excel workbook that can be read (it may be damaged, or another format renamed to .xlsx).",
        "ru": "этот файл не читается как книга Excel (он может быть повреждён или это другой формат с расширением .xlsx).",
    },
    "roundtrip.too_large": {"en": "this file is larger than {mb} MB.", "ru": "файл больше {mb} МБ."},
    "roundtrip.too_many_rows": {"en": "the plan sheet has more than {limit} rows.", "ru": "на листе плана больше {limit} строк."},
    "roundtrip.no_plan_sheet": {
        "en": "the workbook has no \"{sheet}\" sheet: upload the workbook downloaded from this page.",
        "ru": "в книге нет листа «{sheet}»: загрузите книгу, выгруженную с этой страницы.",
    },
    "roundtrip.no_audit_id": {
        "en": "the workbook does not say which audit it belongs to (the \"audit id\" line of the About sheet is missing).",
        "ru": "в книге не указано, к какому аудиту она относится (на листе About нет строки «audit id»).",
    },
    "roundtrip.other_audit": {
        "en": "this workbook belongs to another audit (audit id {found}). Download the workbook of this audit and edit that one.",
        "ru": "эта книга относится к другому аудиту (audit id {found}). Выгрузите книгу этого аудита и правьте её.",
    },
    "roundtrip.missing_columns": {
        "en": "the plan sheet lacks these columns: {columns}. Do not rename or delete them.",
        "ru": "на листе плана нет столбцов: {columns}. Не переименовывайте и не удаляйте их.",
    },
    "roundtrip.no_id": {
        "en": "no action_id, so it cannot be matched to the plan. New actions are added in the app, not in Excel.",
        "ru": "нет action_id, поэтому строку нельзя сопоставить с планом. Новые действия добавляются в приложении, а не в Excel.",
    },
    "roundtrip.bad_id": {"en": "the action_id \"{value}\" is not a whole number.", "ru": "action_id «{value}» — не целое число."},
    "roundtrip.unknown_id": {
        "en": "action_id {id} is not in this plan (was the id changed, or the action deleted in the app?).",
        "ru": "action_id {id} нет в этом плане (id изменили или действие удалено в приложении?).",
    },
    "roundtrip.duplicate_id": {
        "en": "action_id {id} is used again (first in row {first}).",
        "ru": "action_id {id} повторяется (впервые в строке {first}).",
    },
    "roundtrip.changed_id": {
        "en": "action_id {id} belongs to touchpoint {expected}, but the row says {found}: an id was changed.",
        "ru": "action_id {id} относится к точке {expected}, а в строке указано {found}: id был изменён.",
    },
    "roundtrip.bad_value": {"en": "{field}: {rule} (found \"{value}\").", "ru": "{field}: {rule} (в файле «{value}»)."},
    "roundtrip.formula": {"en": "the cell {cell} holds a formula without a computed value (a file saved by a script?). Open the file in Excel or LibreOffice, save it, and upload it again, or type the value.", "ru": "в ячейке {cell} формула без вычисленного значения (файл сохранён программой?). Откройте файл в Excel или LibreOffice, сохраните и загрузите снова или впишите значение."},
    "roundtrip.refused_edits": {"en": "{n} edit(s) in the file cannot be applied and are left out (the rest can be applied):", "ru": "Правок в файле, которые нельзя применить и которые будут пропущены: {n} (остальное можно применить):"},
    "roundtrip.read_only": {"en": "“{column}” is read-only (a grey column made by the analysis); change it in the app. This edit is not applied.", "ru": "«{column}» только для чтения (серый столбец, результат анализа); меняйте в приложении. Эта правка не применится."},
    "roundtrip.renewed": {"en": "this action was renewed from newer ratings after the download, so your change of {fields} is not applied. Download the workbook again to edit the current plan.", "ru": "это действие обновилось по свежим оценкам после выгрузки, поэтому изменение ({fields}) не применится. Выгрузите книгу заново, чтобы править текущий план."},
    "roundtrip.changed_in_app": {"en": "{field} was changed in the app after the download; the app's value is kept.", "ru": "поле «{field}» изменили в приложении после выгрузки; остаётся значение из приложения."},
    "roundtrip.deleted_title": {"en": "Rows deleted in the file: {n}", "ru": "Строк удалено в файле: {n}"},
    "roundtrip.deleted_choice": {"en": "What should happen to these actions?", "ru": "Что сделать с этими действиями?"},
    "roundtrip.deleted_keep": {"en": "Keep them in the plan", "ru": "Оставить в плане"},
    "roundtrip.deleted_delete": {"en": "Delete them from the plan", "ru": "Удалить из плана"},
    "roundtrip.apply_all": {"en": "Apply {n} change(s) and {deleted} deletion(s)", "ru": "Применить изменения ({n}) и удаления ({deleted})"},
    "xlsx.sheet.plan": {"en": "Action plan", "ru": "План действий"},
    "xlsx.sheet.scores": {"en": "Scores", "ru": "Оценки"},
    "xlsx.sheet.categories": {"en": "Categories", "ru": "Категории"},
    "xlsx.sheet.chains": {"en": "Chains", "ru": "Цепочки"},
    "xlsx.sheet.ratings": {"en": "Ratings", "ru": "Ответы команды"},
    "xlsx.sheet.visits": {"en": "Shopper visits", "ru": "Визиты покупателей"},
    "xlsx.sheet.competitors": {"en": "Competitors", "ru": "Конкуренты"},
    "xlsx.sheet.economics": {"en": "Channel economics", "ru": "Экономика каналов"},
    "xlsx.sheet.about": {"en": "About", "ru": "О книге"},
    "xlsx.sheet.check": {"en": "_export", "ru": "_выгрузка"},
    "xlsx.col.order": {"en": "#", "ru": "№"},
    "xlsx.col.priority": {"en": "Priority", "ru": "Приоритет"},
    "xlsx.col.touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "xlsx.col.kind": {"en": "Action type", "ru": "Тип действия"},
    "xlsx.col.what": {"en": "What to do", "ru": "Что сделать"},
    "xlsx.col.owner": {"en": "Who", "ru": "Кто"},
    "xlsx.col.horizon": {"en": "Horizon", "ru": "Горизонт"},
    "xlsx.col.due": {"en": "Due", "ru": "Срок"},
    "xlsx.col.standard": {"en": "Standard to reach", "ru": "Стандарт"},
    "xlsx.col.status": {"en": "Status", "ru": "Статус"},
    "xlsx.col.notes": {"en": "Notes", "ru": "Заметки"},
    "xlsx.col.few_raters": {"en": "Few raters", "ru": "Мало оценок"},
    "xlsx.col.quadrant": {"en": "Quadrant", "ru": "Квадрант"},
    "xlsx.col.category": {"en": "Category", "ru": "Категория"},
    "xlsx.col.stage": {"en": "Journey stage", "ru": "Этап пути"},
    "xlsx.col.data_says": {"en": "Data now says", "ru": "Данные теперь говорят"},
    "xlsx.col.evidence": {"en": "Why it is in the plan", "ru": "Почему это в плане"},
    "xlsx.col.touchpoint_id": {"en": "Touchpoint id", "ru": "Код точки"},
    "xlsx.col.action_id": {"en": "Action id", "ru": "Код действия"},
    "xlsx.col.raters": {"en": "Raters", "ru": "Оценщиков"},
    "xlsx.col.importance_mean": {"en": "Importance (mean)", "ru": "Важность (среднее)"},
    "xlsx.col.importance_median": {"en": "Importance (median)", "ru": "Важность (медиана)"},
    "xlsx.col.importance_std": {"en": "Importance spread", "ru": "Разброс важности"},
    "xlsx.col.importance": {"en": "Importance", "ru": "Важность"},
    "xlsx.col.performance": {"en": "Performance (−1..+1)", "ru": "Оценка (−1..+1)"},
    "xlsx.col.performance_mean": {"en": "Mean performance", "ru": "Средняя оценка"},
    "xlsx.col.quadrant_now": {"en": "Quadrant (this workbook)", "ru": "Квадрант (в этой книге)"},
    "xlsx.col.quadrant_mean": {"en": "Quadrant if mean", "ru": "Квадрант по среднему"},
    "xlsx.col.quadrant_median": {"en": "Quadrant if median", "ru": "Квадрант по медиане"},
    "xlsx.col.quadrant_midpoint": {"en": "Quadrant if scale midpoint", "ru": "Квадрант по середине шкалы"},
    "xlsx.col.changes": {"en": "Changes with the lines", "ru": "Зависит от линий"},
    "xlsx.col.majority_reaction": {"en": "Majority reaction", "ru": "Преобладающая реакция"},
    "xlsx.col.disagreement": {"en": "Disagreement (0–1)", "ru": "Разногласие (0–1)"},
    "xlsx.col.breaks_chain": {"en": "Journey breaks here", "ru": "Здесь рвётся цепочка"},
    "xlsx.col.positive": {"en": "Positive", "ru": "Позитивных"},
    "xlsx.col.neutral": {"en": "Neutral", "ru": "Нейтральных"},
    "xlsx.col.negative": {"en": "Negative", "ru": "Негативных"},
    "xlsx.col.stages": {"en": "Stages", "ru": "Этапы"},
    "xlsx.col.channels": {"en": "Channels", "ru": "Каналы"},
    "xlsx.col.presence_have": {"en": "Have", "ru": "Есть"},
    "xlsx.col.presence_missing": {"en": "Missing", "ru": "Нет"},
    "xlsx.col.presence_not_needed": {"en": "Not needed", "ru": "Не нужна"},
    "xlsx.col.not_applicable": {"en": "Not applicable", "ru": "Не применимо"},
    "xlsx.col.shopper_n": {"en": "Shopper observations", "ru": "Наблюдений покупателей"},
    "xlsx.col.shopper_performance": {"en": "Shopper performance", "ru": "Оценка покупателей"},
    "xlsx.col.shopper_negative": {"en": "Shopper negative", "ru": "Негатив покупателей"},
    "xlsx.col.blind_spot": {"en": "Blind spot", "ru": "Слепое пятно"},
    "xlsx.col.standard_measured": {"en": "Standard measured", "ru": "Стандарт измерен"},
    "xlsx.col.standard_met": {"en": "Standard met", "ru": "Стандарт выполнен"},
    "xlsx.col.standard_not_met": {"en": "Standard not met", "ru": "Стандарт не выполнен"},
    "xlsx.col.standard_status": {"en": "Standard status", "ru": "Состояние стандарта"},
    "xlsx.col.standard_met_one": {"en": "Standard met?", "ru": "Стандарт выполнен?"},
    "xlsx.col.competitors_better": {"en": "Competitors better", "ru": "Конкурентов лучше"},
    "xlsx.col.competitors_same": {"en": "Competitors the same", "ru": "Конкурентов так же"},
    "xlsx.col.competitors_worse": {"en": "Competitors worse", "ru": "Конкурентов хуже"},
    "xlsx.col.competitor_overall": {"en": "Competitors vs us", "ru": "Конкуренты против нас"},
    "xlsx.col.versus_competitor": {"en": "{name}: vs us", "ru": "{name}: против нас"},
    "xlsx.col.their_performance_of": {"en": "{name}: shopper performance", "ru": "{name}: оценка покупателей"},
    "xlsx.col.unreached_in": {"en": "Unreached in chains", "ru": "Недостижима в цепочках"},
    "xlsx.col.chain_lost_share": {"en": "Journey lost here", "ru": "Потеря пути здесь"},
    "xlsx.col.priority_base": {"en": "= importance × shortfall", "ru": "= важность × недобор"},
    "xlsx.col.priority_shoppers": {"en": "+ shoppers", "ru": "+ покупатели"},
    "xlsx.col.priority_competitors": {"en": "+ competitors", "ru": "+ конкуренты"},
    "xlsx.col.priority_standard": {"en": "+ standard", "ru": "+ стандарт"},
    "xlsx.col.priority_missing": {"en": "+ missing must-have", "ru": "+ нет обязательной точки"},
    "xlsx.col.priority_chain": {"en": "+ broken journey", "ru": "+ разрыв цепочки"},
    "xlsx.col.added_by_team": {"en": "Added by the team", "ru": "Добавлена командой"},
    "xlsx.col.touchpoints": {"en": "Touchpoints", "ru": "Точек"},
    "xlsx.col.rated": {"en": "Rated", "ru": "Оценено"},
    "xlsx.col.negative_share": {"en": "Negative share", "ru": "Доля негатива"},
    "xlsx.col.concentrate": {"en": "Concentrate here", "ru": "Сосредоточиться здесь"},
    "xlsx.col.person": {"en": "Person", "ru": "Участник"},
    "xlsx.col.role": {"en": "Role", "ru": "Роль"},
    "xlsx.col.reaction": {"en": "Reaction", "ru": "Реакция"},
    "xlsx.col.presence": {"en": "Presence", "ru": "Наличие"},
    "xlsx.col.comment": {"en": "Comment", "ru": "Комментарий"},
    "xlsx.col.idea": {"en": "Idea", "ru": "Идея"},
    "xlsx.col.updated": {"en": "Updated (UTC)", "ru": "Изменено (UTC)"},
    "xlsx.col.visit_id": {"en": "Visit", "ru": "Визит"},
    "xlsx.col.visited": {"en": "Visited (UTC)", "ru": "Дата визита (UTC)"},
    "xlsx.col.shopper": {"en": "Shopper", "ru": "Тайный покупатель"},
    "xlsx.col.where": {"en": "Where", "ru": "Куда"},
    "xlsx.col.channel": {"en": "How", "ru": "Как"},
    "xlsx.col.location": {"en": "Location", "ru": "Адрес"},
    "xlsx.col.visit_status": {"en": "Status", "ru": "Статус"},
    "xlsx.col.counts": {"en": "Counts in scores", "ru": "Учитывается"},
    "xlsx.col.measurement": {"en": "Measurement", "ru": "Замер"},
    "xlsx.col.what_happened": {"en": "What happened", "ru": "Что произошло"},
    "xlsx.col.scenario": {"en": "Scenario", "ru": "Сценарий"},
    "xlsx.col.recommend": {"en": "Would recommend (0–10)", "ru": "Порекомендует (0–10)"},
    "xlsx.col.review_note": {"en": "Review note", "ru": "Замечание проверки"},
    "xlsx.col.competitor": {"en": "Competitor", "ru": "Конкурент"},
    "xlsx.col.versus": {"en": "Competitor vs us", "ru": "Конкурент против нас"},
    "xlsx.col.source": {"en": "From", "ru": "Источник"},
    "xlsx.col.their_shopper_performance": {"en": "Their shopper performance", "ru": "Их оценка покупателей"},
    "xlsx.col.our_shopper_performance": {"en": "Our shopper performance", "ru": "Наша оценка покупателей"},
    "xlsx.col.reaction_there": {"en": "Reaction there", "ru": "Реакция у них"},
    "xlsx.col.borrow": {"en": "What to borrow", "ru": "Что перенять"},
    "xlsx.col.noted_by": {"en": "Noted by", "ru": "Кто заметил"},
    "xlsx.col.us_team": {"en": "Us: team performance", "ru": "Мы: оценка команды"},
    "xlsx.col.us_shoppers": {"en": "Us: shopper performance", "ru": "Мы: оценка покупателей"},
    "xlsx.col.us_shopper_n": {"en": "Us: shopper observations", "ru": "Мы: наблюдений покупателей"},
    "xlsx.col.spend": {"en": "Spend", "ru": "Расходы"},
    "xlsx.col.leads": {"en": "Leads", "ru": "Обращений"},
    "xlsx.col.customers": {"en": "Customers", "ru": "Клиентов"},
    "xlsx.col.revenue": {"en": "Revenue", "ru": "Выручка"},
    "xlsx.col.cost_per_lead": {"en": "Cost per lead", "ru": "Цена обращения"},
    "xlsx.col.cost_per_customer": {"en": "Cost per customer", "ru": "Цена клиента"},
    "xlsx.col.lead_to_customer": {"en": "Lead to customer", "ru": "Конверсия в клиента"},
    "xlsx.col.average_ticket": {"en": "Average ticket", "ru": "Средний чек"},
    "xlsx.col.net": {"en": "Revenue − spend", "ru": "Выручка − расходы"},
    "xlsx.col.return_on_spend": {"en": "Return on spend (revenue / spend)", "ru": "Отдача (выручка / расходы)"},
    "xlsx.col.net_return": {"en": "Net return ((revenue − spend) / spend)", "ru": "Чистая отдача ((выручка − расходы) / расходы)"},
    "xlsx.col.chain": {"en": "Journey", "ru": "Цепочка"},
    "xlsx.col.links": {"en": "Links", "ru": "Звеньев"},
    "xlsx.col.rated_links": {"en": "Rated links", "ru": "Оценено звеньев"},
    "xlsx.col.chain_status": {"en": "Where it breaks", "ru": "Где рвётся"},
    "xlsx.col.broken_by": {"en": "Broken by", "ru": "Чьи оценки"},
    "xlsx.col.lost_share": {"en": "Journey lost", "ru": "Потеряно пути"},
    "xlsx.col.unreached": {"en": "Unreached links", "ru": "Недостижимых звеньев"},
    "xlsx.col.weakest": {"en": "Weakest link reached", "ru": "Самое слабое достижимое звено"},
    "xlsx.col.weakest_performance": {"en": "Its performance", "ru": "Его оценка"},
    "xlsx.col.link": {"en": "Link", "ru": "Звено"},
    "xlsx.col.reaction_votes": {"en": "Reaction votes", "ru": "Голосов о реакции"},
    "xlsx.col.link_status": {"en": "Link status", "ru": "Состояние звена"},
    "xlsx.col.about": {"en": "About this workbook", "ru": "Об этой книге"},
    "xlsx.col.value": {"en": "Value", "ru": "Значение"},
    "xlsx.role.owner": {"en": "Owner", "ru": "Владелец"},
    "xlsx.role.team": {"en": "Team member", "ru": "Участник команды"},
    "xlsx.role.shopper": {"en": "Mystery shopper", "ru": "Тайный покупатель"},
    "xlsx.yes": {"en": "yes", "ru": "да"},
    "xlsx.no": {"en": "no", "ru": "нет"},
    "xlsx.met": {"en": "met", "ru": "выполнен"},
    "xlsx.not_met": {"en": "not met", "ru": "не выполнен"},
    "xlsx.not_measured": {"en": "not measured", "ru": "не измерен"},
    "xlsx.by_team": {"en": "team", "ru": "команды"},
    "xlsx.by_shoppers": {"en": "shoppers", "ru": "покупателей"},
    "xlsx.by_both": {"en": "team and shoppers", "ru": "команды и покупателей"},
    "xlsx.by_stage": {"en": "By journey stage", "ru": "По этапам пути"},
    "xlsx.chain_broken_at": {"en": "breaks at {name} (link {n} of {links})", "ru": "рвётся на «{name}» (звено {n} из {links})"},
    "xlsx.links_in_order": {"en": "Links in order", "ru": "Звенья по порядку"},
    "xlsx.side_by_side": {"en": "Side by side: us and each competitor (touchpoints with outside evidence)", "ru": "Сравнение: мы и каждый конкурент (точки, по которым есть внешние данные)"},
    "xlsx.where_we_lose": {"en": "Where we lose (the competitor does better)", "ru": "Где мы проигрываем (конкурент лучше)"},
    "xlsx.where_we_win": {"en": "Where we win (we do better)", "ru": "Где мы выигрываем (мы лучше)"},
    "xlsx.our_business": {"en": "our business", "ru": "наш бизнес"},
    "xlsx.no_touchpoints": {"en": "The catalog has no touchpoints.", "ru": "В каталоге нет точек контакта."},
    "xlsx.no_ratings": {"en": "Not rated yet: no ratings in this wave.", "ru": "Ещё не оценено: в этой волне нет ответов."},
    "xlsx.no_visits": {"en": "No shopper visits yet.", "ru": "Визитов тайных покупателей пока нет."},
    "xlsx.no_chains": {"en": "This catalog has no chains (customer journeys).", "ru": "В этом каталоге нет цепочек (путей клиента)."},
    "xlsx.no_competitor_notes": {"en": "No competitor notes yet (add them on the Competitors page, or let shoppers visit competitors).", "ru": "Заметок о конкурентах пока нет (добавьте их на странице «Конкуренты» или отправьте покупателей к конкурентам)."},
    "xlsx.no_economics": {"en": "No channel economics entered (optional: spend, leads, customers and revenue per advertising touchpoint).", "ru": "Экономика каналов не введена (необязательно: расходы, обращения, клиенты и выручка по рекламным точкам)."},
    "xlsx.plan_not_rated": {"en": "Not rated yet: no team member has rated a touchpoint, so there is no plan. Share the team link, then export again.", "ru": "Ещё не оценено: никто из команды не оценил ни одной точки, поэтому плана нет. Поделитесь ссылкой для команды и выгрузите снова."},
    "xlsx.plan_empty": {"en": "No action suggested: no touchpoint needs one by the rules on the About sheet.", "ru": "Действий не предложено: по правилам на листе «О книге» ни одной точке они не нужны."},
    "xlsx.crosshair_at": {"en": "{choice}: lines at importance {importance}, performance {performance}", "ru": "{choice}: линии на важности {importance} и оценке {performance}"},
    "xlsx.crosshair_unplaced": {"en": "{choice}: not placed yet (nothing rated)", "ru": "{choice}: ещё не проведены (нет оценок)"},
    "xlsx.view": {"en": "Wave {wave} · quadrant lines: {crosshair} · all touchpoints, no filters", "ru": "Волна {wave} · линии квадрантов: {crosshair} · все точки, без фильтров"},
    "xlsx.no_filters": {"en": "none: every sheet covers every touchpoint of the audit", "ru": "нет: на каждом листе все точки аудита"},
    "xlsx.header_wave": {"en": "wave {wave}", "ru": "волна {wave}"},
    "xlsx.page": {"en": "Page &P of &N", "ru": "Страница &P из &N"},
    "xlsx.format.date": {"en": "yyyy-mm-dd", "ru": "dd.mm.yyyy"},
    "xlsx.format.datetime": {"en": "yyyy-mm-dd hh:mm", "ru": "dd.mm.yyyy hh:mm"},
    "xlsx.note_read_only": {"en": "Read-only: made by the analysis. Change it in the app; an edit here is not applied when you upload the workbook.", "ru": "Только для чтения: это результат анализа. Меняйте в приложении; правка здесь не применится при загрузке книги."},
    "xlsx.note_editable": {"en": "You can edit this column; the app applies it when you upload the workbook. A blank cell means empty.", "ru": "Этот столбец можно менять; приложение применит правку при загрузке книги. Пустая ячейка означает «пусто»."},
    "xlsx.note_status": {"en": "Choose from the list: {choices}. It cannot be blank.", "ru": "Выберите из списка: {choices}. Пустым быть не может."},
    "xlsx.note_few_raters": {"en": "The team numbers of this touchpoint rest on fewer than {minimum} raters: discuss before acting.", "ru": "Оценки команды по этой точке опираются меньше чем на {minimum} человек: обсудите, прежде чем действовать."},
    "xlsx.status_error": {"en": "Choose one of: {choices}.", "ru": "Выберите одно из: {choices}."},
    "xlsx.chart_importance": {"en": "Mean importance by category", "ru": "Средняя важность по категориям"},
    "xlsx.chart_performance": {"en": "Mean performance by category", "ru": "Средняя оценка по категориям"},
    "xlsx.charts_not_rated": {"en": "Not rated yet: the charts appear once the team has rated touchpoints.", "ru": "Ещё не оценено: диаграммы появятся, когда команда оценит точки."},
    "xlsx.too_many_rows": {"en": "… more rows than a spreadsheet can show: this sheet stops at row {row}.", "ru": "… строк больше, чем помещается на лист: лист обрывается на строке {row}."},
    "xlsx.about.audit": {"en": "Audit", "ru": "Аудит"},
    "xlsx.about.audit_id": {"en": "Audit id", "ru": "Код аудита"},
    "xlsx.about.view": {"en": "What every sheet shows", "ru": "Что показывают все листы"},
    "xlsx.about.created": {"en": "Created (UTC)", "ru": "Создан (UTC)"},
    "xlsx.about.exported": {"en": "Exported (UTC)", "ru": "Выгружен (UTC)"},
    "xlsx.about.wave": {"en": "Wave", "ru": "Волна"},
    "xlsx.about.crosshair": {"en": "Quadrant lines (IPA crosshair)", "ru": "Линии квадрантов (перекрестие IPA)"},
    "xlsx.about.filters": {"en": "Filters", "ru": "Фильтры"},
    "xlsx.about.catalog": {"en": "Catalog", "ru": "Каталог"},
    "xlsx.about.language": {"en": "Language", "ru": "Язык"},
    "xlsx.about.touchpoints": {"en": "Touchpoints", "ru": "Точек контакта"},
    "xlsx.about.rated": {"en": "Touchpoints rated", "ru": "Оценено точек"},
    "xlsx.about.team_members": {"en": "Team members", "ru": "Участников команды"},
    "xlsx.about.shoppers": {"en": "Mystery shoppers", "ru": "Тайных покупателей"},
    "xlsx.about.ratings": {"en": "Ratings", "ru": "Ответов команды"},
    "xlsx.about.visits_accepted": {"en": "Shopper visits accepted (only these count)", "ru": "Принятых визитов (учитываются только они)"},
    "xlsx.about.visits_all": {"en": "Shopper visits in all", "ru": "Всего визитов"},
    "xlsx.about.competitor_notes": {"en": "Competitor notes", "ru": "Заметок о конкурентах"},
    "xlsx.about.actions": {"en": "Actions in the plan", "ru": "Действий в плане"},
    "xlsx.about.few_raters": {"en": "Touchpoints with few raters", "ru": "Точек с малым числом оценок"},
    "xlsx.about.how": {"en": "How the numbers are made", "ru": "Как получены цифры"},
    "xlsx.about.performance": {"en": "Performance", "ru": "Оценка"},
    "xlsx.about.performance_text": {"en": "The team's mean reaction: positive +1, neutral 0, negative −1 (from −1 to +1). Not-applicable answers are not votes.", "ru": "Средняя реакция команды: позитивная +1, нейтральная 0, негативная −1 (от −1 до +1). Ответы «не применимо» не считаются голосами."},
    "xlsx.about.disagreement": {"en": "Disagreement", "ru": "Разногласие"},
    "xlsx.about.disagreement_text": {"en": "0–1: the mean of the importance spread (÷ 4.5) and the share of voters who differ from the most common reaction (÷ 2/3).", "ru": "0–1: среднее из разброса важности (÷ 4,5) и доли голосов, отличных от самой частой реакции (÷ 2/3)."},
    "xlsx.about.quadrants": {"en": "Quadrants", "ru": "Квадранты"},
    "xlsx.about.quadrants_text": {"en": "Importance-Performance Analysis (Martilla & James, 1977): high importance and low performance: concentrate here; high and high: keep up the good work; low and low: low priority; low importance and high performance: possible overkill. A point on a line counts as high. The lines sit at the mean, the median or the middle of the scales (importance 5.5, performance 0); the Scores sheet shows the quadrant under each choice.", "ru": "Анализ важности и исполнения (Martilla & James, 1977): высокая важность и низкая оценка — сосредоточиться здесь; обе высокие — так держать; обе низкие — низкий приоритет; низкая важность и высокая оценка — возможно, избыточно. Точка на линии считается высокой. Линии проходят по среднему, медиане или середине шкал (важность 5,5, оценка 0); на листе «Оценки» виден квадрант при каждом выборе."},
    "xlsx.about.priority": {"en": "Priority (0–100)", "ru": "Приоритет (0–100)"},
    "xlsx.about.priority_text": {"en": "{base} × (importance / 10) × (1 − performance) / 2 + {shoppers} × share of negative shopper observations + {competitors} × share of competitors doing better + {standard} × share of measurements missing the standard + {missing} if a must-have touchpoint (importance ≥ {must}) is missing + {chain} × share of a journey lost where it breaks here.", "ru": "{base} × (важность / 10) × (1 − оценка) / 2 + {shoppers} × доля негативных наблюдений покупателей + {competitors} × доля конкурентов, которые лучше + {standard} × доля замеров, не выполнивших стандарт + {missing}, если нет обязательной точки (важность ≥ {must}) + {chain} × доля пути, теряемая при разрыве здесь."},
    "xlsx.about.horizon": {"en": "Horizon", "ru": "Горизонт"},
    "xlsx.about.horizon_text": {"en": "By priority: {week} or more this week, {month} or more this month, otherwise this quarter (due in 7, 30 or 90 days); then kept within the action type: fix now is never later than this month; add, rethink and amplify are never this week.", "ru": "По приоритету: от {week} — на этой неделе, от {month} — в этом месяце, иначе в этом квартале (срок 7, 30 или 90 дней); затем в пределах типа действия: «срочно исправить» — не позже этого месяца; «добавить», «переосмыслить» и «усилить» — не на этой неделе."},
    "xlsx.about.chains": {"en": "Journeys", "ru": "Цепочки"},
    "xlsx.about.chains_text": {"en": "A journey breaks at its first link where the team's or the accepted shoppers' reaction is predominantly negative; the customer is lost there and the later links are unreached. The weakest link is the lowest-rated link a customer reaches.", "ru": "Цепочка рвётся на первом звене, где реакция команды или принятых тайных покупателей преимущественно негативная; там клиент теряется, дальше он не доходит. Самое слабое звено — звено с наименьшей оценкой среди тех, до которых клиент доходит."},
    "xlsx.about.min_raters": {"en": "Few raters", "ru": "Мало оценок"},
    "xlsx.about.min_raters_text": {"en": "A team number resting on fewer than {minimum} raters is marked \"few raters\": discuss it before acting on it.", "ru": "Оценка команды, за которой меньше {minimum} человек, помечена «мало оценок»: обсудите её, прежде чем действовать."},
    "xlsx.about.standards": {"en": "Standards", "ru": "Стандарты"},
    "xlsx.about.standards_text": {"en": "Met when every accepted shopper measurement meets it; not met when at least one does not.", "ru": "Выполнен, если его выполняет каждый принятый замер покупателей; не выполнен, если хотя бы один — нет."},
    "xlsx.about.versus": {"en": "Competitors vs us", "ru": "Конкуренты против нас"},
    "xlsx.about.versus_text": {"en": "Better means a competitor does better than us there (from a team note, otherwise from shopper visits to both).", "ru": "«Лучше нас» значит, что у конкурента там лучше (по заметке команды, иначе по визитам покупателей к обоим)."},
    "xlsx.about.editing": {"en": "Editing the plan here", "ru": "Правка плана в этой книге"},
    "xlsx.about.editing_text": {"en": "On the Action plan sheet you can change Who, Due, Status and Notes (white columns), then upload the workbook on the plan page. A blank cell means empty (a blank status is refused). Grey columns are read-only. Deleted rows are listed when you upload, and you choose whether to delete those actions. Keep the id columns.", "ru": "На листе «План действий» можно менять «Кто», «Срок», «Статус» и «Заметки» (белые столбцы), затем загрузить книгу на странице плана. Пустая ячейка означает «пусто» (пустой статус не принимается). Серые столбцы только для чтения. Удалённые строки будут показаны при загрузке, и вы решите, удалять ли эти действия. Не удаляйте столбцы с кодами."},
    "report.title": {"en": "Touchpoint audit", "ru": "Аудит точек контакта"},
    "report.page": {"en": "Page {page} of {pages}", "ru": "Страница {page} из {pages}"},
    "report.and_more": {"en": " and {n} more", "ru": " и ещё {n}"},
    "report.date_format": {"en": "%Y-%m-%d", "ru": "%d.%m.%Y"},
    "report.cover_date": {"en": "Report of {date}", "ru": "Отчёт от {date}"},
    "report.cover_wave": {"en": "Wave {wave}", "ru": "Волна {wave}"},
    "report.cover_lines": {"en": "Quadrant lines: {lines}", "ru": "Линии квадрантов: {lines}"},
    "report.cover_catalog": {"en": "Catalog: {catalog}", "ru": "Каталог: {catalog}"},
    "report.cover_team": {"en": "Team ({n}): {names}", "ru": "Команда ({n}): {names}"},
    "report.cover_shoppers": {"en": "Mystery shoppers ({n}): {names}", "ru": "Тайные покупатели ({n}): {names}"},
    "report.cover_numbers": {"en": "{rated} of {total} touchpoints rated · {ratings} ratings · {visits} accepted shopper visits · {actions} actions in the plan", "ru": "Оценено точек: {rated} из {total} · ответов команды: {ratings} · принятых визитов: {visits} · действий в плане: {actions}"},
    "report.cover_few": {"en": "{n} touchpoint(s) rest on fewer than {minimum} raters: they are marked with * in this report.", "ru": "Точек с оценками меньше чем от {minimum} человек: {n}; в отчёте они отмечены *."},
    "report.cover_read": {"en": "This report and the Excel workbook come from the same analysis. The IPA matrix shows where effort pays; the journeys show where customers are lost; the plan says what to do, who does it, by when and to what standard.", "ru": "Отчёт и книга Excel построены по одному и тому же анализу. Матрица IPA показывает, куда вкладывать силы; цепочки — где теряются клиенты; план — что сделать, кто, к какому сроку и по какому стандарту."},
    "report.lines_at": {"en": "Quadrant lines: {lines}. Numbers are the top priorities; hollow points rest on few raters.", "ru": "Линии квадрантов: {lines}. Цифры — главные приоритеты; пустые точки опираются на малое число оценок."},
    "report.top_priorities": {"en": "The {n} top priorities", "ru": "Главные приоритеты ({n})"},
    "report.col_performance": {"en": "Performance", "ru": "Оценка"},
    "report.few_note": {"en": "* fewer than {minimum} raters: discuss before acting.", "ru": "* оценок меньше чем от {minimum} человек: обсудите, прежде чем действовать."},
    "report.journeys_title": {"en": "Customer journeys: where they break", "ru": "Пути клиента: где они рвутся"},
    "report.journeys_read": {"en": "Each row is a journey, its links in order. A cross marks the first link where the team or the shoppers react mostly negatively: the customer is lost there, and the faded links after it are never reached.", "ru": "Каждая строка — путь клиента, звенья по порядку. Крестом отмечено первое звено, где реакция команды или покупателей в основном негативная: там клиент теряется, до бледных звеньев после него он не доходит."},
    "report.actions_title": {"en": "Top actions ({n} of {total})", "ru": "Главные действия ({n} из {total})"},
    "report.actions_read": {"en": "In the plan's order: what to do, who does it, by when and to what standard. The whole plan is in the Excel workbook.", "ru": "В порядке плана: что сделать, кто, к какому сроку и по какому стандарту. Весь план — в книге Excel."},
    "report.col_when": {"en": "When", "ru": "Когда"},
    "report.standards_title": {"en": "Standards met", "ru": "Выполнение стандартов"},
    "report.standards_none": {"en": "No touchpoint has a standard yet (set them on the Standards page).", "ru": "Стандартов пока нет (их задают на странице «Стандарты»)."},
    "report.standards_summary": {"en": "{met} of {measured} measured standards are met ({total} standards in all).", "ru": "Выполнено стандартов: {met} из {measured} измеренных (всего стандартов: {total})."},
    "report.col_checks": {"en": "Checks", "ru": "Проверок"},
    "report.competitors_title": {"en": "Us and the competitors", "ru": "Мы и конкуренты"},
    "report.prepare": {"en": "Prepare the PDF report", "ru": "Подготовить отчёт PDF"},
    "report.download": {"en": "Download the PDF report", "ru": "Скачать отчёт PDF"},
    "report.ready": {"en": "Report prepared at {time} from the same analysis as the workbook.", "ru": "Отчёт подготовлен в {time} по тому же анализу, что и книга."},
    # ---------------------------------------------------------------- the suggested plan's texts (audit.plan)
    "action_text.open": {"en": "“", "ru": "«"},
    "action_text.close": {"en": "”", "ru": "»"},
    "action_text.add": {"en": "Add {name}: the team marks it missing ({missing} of {votes} presence votes) and rates it important ({imp:.1f}/10).", "ru": "Добавить {name}: команда отмечает, что её нет ({missing} из {votes}), и считает её важной ({imp:.1f}/10)."},
    "action_text.fix": {"en": "Fix {name} now: {reasons}; find the cause and correct it.", "ru": "Срочно исправить {name}: {reasons}; найти причину и устранить."},
    "action_text.fix_team": {"en": "most team reactions are negative ({neg} of {n})", "ru": "большинство реакций команды негативные ({neg} из {n})"},
    "action_text.fix_shoppers": {"en": "shoppers met it negative ({sneg} of {sn})", "ru": "у тайных покупателей негатив ({sneg} из {sn})"},
    "action_text.fix_chain": {"en": "the journey {chains} breaks here", "ru": "здесь рвётся цепочка {chains}"},
    "action_text.rethink": {"en": "Remove or rethink {name}: low importance ({imp:.1f}/10) and a negative reaction; drop it or redesign it cheaply.", "ru": "Убрать или переосмыслить {name}: низкая важность ({imp:.1f}/10) и негативная реакция."},
    "action_text.enforce": {"en": "Enforce the standard at {name} ({standard}): met in {met} of {measured} shopper checks.", "ru": "Добиться соблюдения стандарта в {name} ({standard}): выполнен в {met} из {measured} проверок."},
    "action_text.set": {"en": "Set a standard for {name}: shoppers met both good and bad service ({spos} positive, {sneg} negative).", "ru": "Ввести стандарт для {name}: покупатели встретили и хорошее, и плохое обслуживание ({spos} позитивных, {sneg} негативных)."},
    "action_text.improve": {"en": "Improve {name}: important ({imp:.1f}/10) but performance is {perf:+.2f}.", "ru": "Улучшить {name}: важность {imp:.1f}/10, а оценка {perf:+.2f}."},
    "action_text.improve_competitors": {"en": "Improve {name}: {k} competitor(s) do better ({names}); see what to borrow.", "ru": "Улучшить {name}: конкуренты лучше нас ({k}: {names}); посмотреть, что перенять."},
    "action_text.improve_unrated": {"en": "Improve {name}: shoppers met it negative ({sneg} of {sn}); the team has not rated it yet.", "ru": "Улучшить {name}: у тайных покупателей негатив ({sneg} из {sn}); команда ещё не оценила."},
    "action_text.amplify": {"en": "Keep and amplify {name}: we beat every competitor compared ({names}); make it a wow.", "ru": "Усилить {name}: мы лучше всех сравнённых конкурентов ({names}); сделать вау-эффект."},
    "action_text.reach_default": {"en": "mostly positive reactions (team and shoppers) at the next check", "ru": "преимущественно позитивные реакции (команда и покупатели) при следующей проверке"},
    "action_text.reach_add": {"en": "in place, and shoppers' reaction positive", "ru": "точка контакта есть, реакция покупателей позитивная"},
    "action_text.reach_amplify": {"en": "better than every competitor at the next check", "ru": "лучше всех конкурентов при следующей проверке"},
    "action_text.reach_set": {"en": "a measurable norm a mystery shopper can check", "ru": "измеримая норма, которую может проверить тайный покупатель"},
    "action_text.ev_team": {"en": "Team: {raters} rater(s); importance {imp} (median {med}); reactions {pos} positive / {neu} neutral / {neg} negative; disagreement {dis}.", "ru": "Команда: оценок {raters}; важность {imp} (медиана {med}); реакции {pos} позитивных / {neu} нейтральных / {neg} негативных; разногласие {dis}."},
    "action_text.ev_unrated": {"en": "Team: not rated yet.", "ru": "Команда: ещё не оценено."},
    "action_text.ev_presence": {"en": "Presence: {have} have / {missing} missing / {nn} not needed.", "ru": "Наличие: есть {have} / нет {missing} / не нужна {nn}."},
    "action_text.ev_shoppers": {"en": "Shoppers: {sneg} of {sn} observations negative (performance {sperf:+.2f}).", "ru": "Тайные покупатели: негативных {sneg} из {sn} (оценка {sperf:+.2f})."},
    "action_text.ev_blind": {"en": "Blind spot: {blind}.", "ru": "Слепое пятно: {blind}."},
    "action_text.ev_competitors": {"en": "Competitors: {items}.", "ru": "Конкуренты: {items}."},
    "action_text.ev_standard": {"en": "Standard {standard}: met {met} of {measured}.", "ru": "Стандарт {standard}: выполнен {met} из {measured}."},
    "action_text.ev_chain": {"en": "Journey breaks here: {chains}.", "ru": "Здесь рвётся цепочка: {chains}."},
    "action_text.ev_priority": {"en": "Priority {p:.1f} = {parts}.", "ru": "Приоритет {p:.1f} = {parts}."},
    "action_text.ev_comments": {"en": "Team comments: {quotes}.", "ru": "Комментарии команды: {quotes}."},
    "action_text.ev_shopper_quotes": {"en": "Shoppers wrote: {quotes}.", "ru": "Тайные покупатели написали: {quotes}."},
    "action_text.part_base": {"en": "importance x shortfall {v:.1f}", "ru": "важность x недобор {v:.1f}"},
    "action_text.part_shoppers": {"en": "shoppers {v:.1f}", "ru": "покупатели {v:.1f}"},
    "action_text.part_competitors": {"en": "competitors {v:.1f}", "ru": "конкуренты {v:.1f}"},
    "action_text.part_standard": {"en": "standard {v:.1f}", "ru": "стандарт {v:.1f}"},
    "action_text.part_missing": {"en": "missing must-have {v:.1f}", "ru": "нет обязательной точки {v:.1f}"},
    "action_text.part_chain": {"en": "broken chain {v:.1f}", "ru": "разрыв цепочки {v:.1f}"},
    "action_text.ev_few_raters": {"en": "Only {raters} rater(s), fewer than {minimum}: read these numbers with care.", "ru": "Оценок только {raters}, меньше {minimum}: к этим цифрам стоит отнестись осторожно."},
    "blind_spot.team_positive_shoppers_negative": {"en": "team positive, shoppers negative", "ru": "команда — позитив, покупатели — негатив"},
    "blind_spot.team_negative_shoppers_positive": {"en": "team negative, shoppers positive", "ru": "команда — негатив, покупатели — позитив"},
    "owner_role.office": {"en": "Office manager", "ru": "Офис-менеджер"},
    "owner_role.product": {"en": "Product manager", "ru": "Менеджер по продукту"},
    "owner_role.technology": {"en": "Marketing / web manager", "ru": "Маркетолог / веб-менеджер"},
    "owner_role.staff": {"en": "Head of sales", "ru": "Руководитель отдела продаж"},
    "versus_word.better": {"en": "better", "ru": "лучше"},
    "versus_word.same": {"en": "same", "ru": "так же"},
    "versus_word.worse": {"en": "worse", "ru": "хуже"},
    # ---------------------------------------------------------------- welcome, open
    "welcome.lead": {
        "en": "Every moment a customer meets your business is a **touchpoint**: the sign over the door, "
        "the first phone call, the website, the invoice. This tool helps a team find them, rate them "
        "together and decide what to fix first.",
        "ru": "Каждый момент, когда клиент встречается с вашим бизнесом, — это **точка контакта**: вывеска, "
        "первый звонок, сайт, счёт. Этот инструмент помогает команде найти их, вместе оценить и решить, "
        "что исправлять в первую очередь.",
    },
    "welcome.steps": {
        "en": "1. **Create an audit** from a ready catalog of touchpoints (or your own list).\n"
        "2. **Invite the team** with one link or a QR code on the projector.\n"
        "3. **Rate together**: everyone marks importance (1–10) and the customer's reaction; "
        "answers are saved at once.\n"
        "4. **Discuss first** what the team disagrees on, live on the facilitator's board.",
        "ru": "1. **Создайте аудит** на основе готового каталога точек контакта (или своего списка).\n"
        "2. **Пригласите команду** одной ссылкой или QR-кодом на проекторе.\n"
        "3. **Оценивайте вместе**: каждый ставит важность (1–10) и реакцию клиента; "
        "ответы сохраняются сразу.\n"
        "4. **Обсудите в первую очередь** то, в чём команда расходится, — на табло ведущего.",
    },
    "welcome.create": {"en": "Create an audit", "ru": "Создать аудит"},
    "welcome.open": {"en": "Open with a link", "ru": "Открыть по ссылке"},
    "welcome.key_needed": {
        "en": "Creating an audit on this server needs its creation key.",
        "ru": "Чтобы создать аудит на этом сервере, нужен ключ для создания.",
    },
    "welcome.privacy": {
        "en": "No sign-up: each audit is opened by its links. Keep the owner link to yourself.",
        "ru": "Без регистрации: аудит открывается по ссылкам. Ссылку владельца храните у себя.",
    },
    "open.title": {"en": "Open an audit with a link", "ru": "Открыть аудит по ссылке"},
    "open.paste": {"en": "Paste the link (or its code) you were sent", "ru": "Вставьте ссылку (или её код), которую вам прислали"},
    "open.go": {"en": "Open", "ru": "Открыть"},
    # ---------------------------------------------------------------- create
    "create.title": {"en": "Create an audit", "ru": "Создать аудит"},
    "create.key": {"en": "Creation key", "ru": "Ключ для создания"},
    "create.key_help": {
        "en": "This server creates audits only for people who have its creation key. Ask whoever runs it.",
        "ru": "На этом сервере аудиты создают только те, у кого есть ключ. Спросите того, кто его запустил.",
    },
    "create.key_submit": {"en": "Continue", "ru": "Продолжить"},
    "create.key_wrong": {"en": "This is not the creation key of this server.", "ru": "Это не ключ этого сервера."},
    "create.upload_budget": {
        "en": "This session has already read {mb} MB of uploaded files, the limit. Reload the page to start again.",
        "ru": "В этом сеансе уже прочитано {mb} МБ загруженных файлов — это предел. Обновите страницу, чтобы начать заново.",
    },
    "create.name": {"en": "Business name", "ru": "Название бизнеса"},
    "create.name_placeholder": {"en": "e.g. Corner Bakery", "ru": "например, Пекарня на углу"},
    "create.locations": {"en": "Locations (optional)", "ru": "Адреса, филиалы (необязательно)"},
    "create.one_per_line": {"en": "One per line.", "ru": "По одному в строке."},
    "create.language": {"en": "Language of the audit", "ru": "Язык аудита"},
    "create.catalog_source": {"en": "Touchpoint catalog", "ru": "Каталог точек контакта"},
    "create.source_bundled": {"en": "A ready catalog", "ru": "Готовый каталог"},
    "create.source_upload": {"en": "Upload my own file", "ru": "Загрузить свой файл"},
    "create.catalog": {"en": "Catalog", "ru": "Каталог"},
    "create.bundled_broken": {
        "en": "This ready catalog cannot be read ({reason}). Please choose another one.",
        "ru": "Этот готовый каталог не читается ({reason}). Выберите другой.",
    },
    "catalog.general": {"en": "General: every kind of business", "ru": "Общий: для любого бизнеса"},
    "catalog.retail": {"en": "Retail store", "ru": "Розничный магазин"},
    "catalog.clinic": {"en": "Medical or dental clinic", "ru": "Медицинская или стоматологическая клиника"},
    "catalog.b2b": {"en": "B2B services", "ru": "Услуги для бизнеса (B2B)"},
    "catalog.restaurant": {"en": "Restaurant or cafe", "ru": "Ресторан или кафе"},
    "catalog.ecommerce": {"en": "Online shop", "ru": "Интернет-магазин"},
    "create.no_bundled": {
        "en": "No ready catalogs are installed; please upload a file.",
        "ru": "Готовые каталоги не установлены; загрузите файл.",
    },
    "create.upload": {"en": "Catalog file (YAML, CSV or XLSX)", "ru": "Файл каталога (YAML, CSV или XLSX)"},
    "create.upload_help": {
        "en": "One row per touchpoint with the columns id, category, name_en (or name_ru, name_pl), question_en "
        "and optional stage and channel. Every problem is listed with its line.",
        "ru": "Одна строка на точку контакта: столбцы id, category, name_ru (или name_en, name_pl), question_ru "
        "и по желанию stage и channel. Все ошибки показываются с номером строки.",
    },
    "create.problems": {
        "en": "{file} has {n} problem(s); fix them and upload it again. Nothing was created.",
        "ru": "В файле {file} ошибок: {n}. Исправьте их и загрузите файл снова. Ничего не создано.",
    },
    "create.col_line": {"en": "Line", "ru": "Строка"},
    "create.col_field": {"en": "Field", "ru": "Поле"},
    "create.col_problem": {"en": "Problem", "ru": "Ошибка"},
    "create.catalog_ok": {"en": "{n} touchpoints ready ({counts}).", "ru": "Точек контакта: {n} ({counts})."},
    "create.competitors": {"en": "Competitors (optional)", "ru": "Конкуренты (необязательно)"},
    "create.participants": {"en": "Participants (optional)", "ru": "Участники (необязательно)"},
    "create.participants_help": {
        "en": "One name per line. Each gets a personal link; others can join with the team link.",
        "ru": "По одному имени в строке. Каждый получит личную ссылку; остальные присоединятся по ссылке команды.",
    },
    "create.submit": {"en": "Create the audit", "ru": "Создать аудит"},
    "create.need_name": {"en": "Please enter the business name.", "ru": "Введите название бизнеса."},
    "create.need_catalog": {
        "en": "Please choose a catalog or upload a file without problems.",
        "ru": "Выберите каталог или загрузите файл без ошибок.",
    },
    # ---------------------------------------------------------------- links
    "links.title": {"en": "Links to this audit", "ru": "Ссылки на этот аудит"},
    "links.created": {"en": "The audit “{name}” is ready.", "ru": "Аудит «{name}» создан."},
    "links.rotated": {
        "en": "The {role} link was replaced. The old one no longer works.",
        "ru": "Ссылка {role} заменена. Старая больше не работает.",
    },
    "links.owner_warning": {
        "en": "**The owner link is the key to this audit.** Whoever has it can see all answers and change the links. "
        "Save it now (bookmark this page) and do not show it on the projector: "
        "links are stored scrambled and cannot be shown again.",
        "ru": "**Ссылка владельца — это ключ к аудиту.** Кто её знает, видит все ответы и может менять ссылки. "
        "Сохраните её сейчас (добавьте страницу в закладки) и не показывайте на проекторе: "
        "ссылки хранятся в зашифрованном виде и показать их снова нельзя.",
    },
    "links.team": {"en": "Team link", "ru": "Ссылка для команды"},
    "links.team_help": {
        "en": "Put this QR code on the projector: everyone who opens it enters their name and rates.",
        "ru": "Покажите этот QR-код на проекторе: каждый, кто его откроет, введёт имя и начнёт оценку.",
    },
    "links.owner": {"en": "Owner link", "ru": "Ссылка владельца"},
    "links.owner_help": {
        "en": "Opens the live board, the presenter view and these links. Keep it private.",
        "ru": "Открывает табло, режим презентации и эти ссылки. Никому не передавайте.",
    },
    "links.shopper": {"en": "Mystery shopper link", "ru": "Ссылка для тайного покупателя"},
    "links.shopper_help": {
        "en": "For the person who checks the business from outside, as a customer.",
        "ru": "Для того, кто проверяет бизнес снаружи, глазами клиента.",
    },
    "links.hidden": {
        "en": "This link cannot be shown again from here (it was replaced without the owner link). "
        "Make a new one below.",
        "ru": "Эту ссылку нельзя показать снова (её заменили без ссылки владельца). "
        "Создайте новую ниже.",
    },
    "links.rotate": {"en": "Replace this link", "ru": "Заменить ссылку"},
    "links.rotate_help_team": {
        "en": "Everyone using the old team link, including people who are rating now, will need the new one.",
        "ru": "Всем, кто пользуется старой ссылкой команды, включая тех, кто сейчас оценивает, понадобится новая.",
    },
    "links.rotate_help_owner": {
        "en": "The old owner link stops working and the team and shopper links are replaced too; "
        "this page switches to the new owner link. Save it.",
        "ru": "Старая ссылка владельца перестанет работать, ссылки команды и тайного покупателя тоже заменятся; "
        "эта страница перейдёт на новую ссылку владельца. Сохраните её.",
    },
    "links.rotate_help_shopper": {
        "en": "The old shopper link stops working at once.",
        "ru": "Старая ссылка тайного покупателя сразу перестанет работать.",
    },
    "links.rotate_sure": {"en": "Yes, the old link must stop working", "ru": "Да, старая ссылка должна перестать работать"},
    "links.rotate_button": {"en": "Make a new link", "ru": "Создать новую ссылку"},
    "links.personal": {"en": "Personal links", "ru": "Личные ссылки"},
    "links.personal_help": {
        "en": "Each person's own link: it opens the walk-through as that person, on any device. "
        "Show it to someone who changed phones or typed their name again.",
        "ru": "Личная ссылка каждого: открывает оценку от имени этого человека на любом устройстве. "
        "Покажите её тому, кто сменил телефон или ввёл имя заново.",
    },
    "links.opened": {"en": "opened", "ru": "открывал"},
    "links.not_opened": {"en": "not opened yet", "ru": "ещё не открывал"},
    # ---------------------------------------------------------------- rating walk-through
    "rate.join_intro": {
        "en": "Enter your name once to start. Your answers are saved as you go; you can close the page and come back.",
        "ru": "Введите имя один раз, чтобы начать. Ответы сохраняются сразу; можно закрыть страницу и вернуться.",
    },
    "rate.your_name": {"en": "Your name", "ru": "Ваше имя"},
    "rate.name_placeholder": {"en": "e.g. Anna, sales", "ru": "например, Анна, продажи"},
    "rate.start": {"en": "Start rating", "ru": "Начать оценку"},
    "rate.you_are": {"en": "Rating as **{name}**", "ru": "Вы оцениваете как **{name}**"},
    "rate.other_device": {"en": "Continue on another device", "ru": "Продолжить на другом устройстве"},
    "rate.other_device_help": {
        "en": "This is your personal link: open it (or scan the code) on a phone or another computer to continue as you.",
        "ru": "Это ваша личная ссылка: откройте её (или отсканируйте код) на телефоне или другом компьютере, чтобы продолжить от своего имени.",
    },
    "rate.filter": {"en": "Filter", "ru": "Фильтр"},
    "rate.filter_category": {"en": "Category", "ru": "Категория"},
    "rate.filter_stage": {"en": "Journey stage", "ru": "Этап пути клиента"},
    "rate.filter_channel": {"en": "Channel", "ru": "Канал"},
    "rate.nothing_matches": {"en": "No touchpoint matches this filter.", "ru": "Под этот фильтр не подходит ни одна точка."},
    "rate.progress_overall": {"en": "Rated {done} of {total}", "ru": "Оценено {done} из {total}"},
    "rate.progress_selection": {"en": "In this selection: {done} of {total}", "ru": "В этой выборке: {done} из {total}"},
    "rate.progress_by_category": {"en": "Progress by category", "ru": "Прогресс по категориям"},
    "rate.progress_category": {"en": "{category}: {done} of {total}", "ru": "{category}: {done} из {total}"},
    "rate.jump": {"en": "Go to touchpoint", "ru": "Перейти к точке"},
    "rate.previous": {"en": "Previous", "ru": "Назад"},
    "rate.next": {"en": "Next", "ru": "Далее"},
    "rate.next_unrated": {"en": "Next unrated", "ru": "Следующая неоценённая"},
    "rate.all_done": {
        "en": "You have rated every touchpoint here. Thank you!",
        "ru": "Вы оценили все точки контакта. Спасибо!",
    },
    "rate.missing_one": {"en": "Missing a touchpoint? Add it", "ru": "Не хватает точки? Добавьте её"},
    "rate.added_by_team": {"en": "Added by the team", "ru": "Добавлено командой"},
    "rate.look_at": {"en": "What to look at:", "ru": "На что смотреть:"},
    "rate.presence": {"en": "Do we have it?", "ru": "Есть ли она у нас?"},
    "rate.importance": {"en": "Importance for the customer (1–10)", "ru": "Важность для клиента (1–10)"},
    "rate.importance_help": {"en": "1 = hardly matters, 10 = critical.", "ru": "1 — почти не важно, 10 — критически важно."},
    "rate.reaction": {"en": "Customer's reaction today", "ru": "Реакция клиента сейчас"},
    "rate.comment": {"en": "Comment", "ru": "Комментарий"},
    "rate.comment_placeholder": {"en": "What did you notice?", "ru": "Что вы заметили?"},
    "rate.idea": {"en": "Improvement idea", "ru": "Идея улучшения"},
    "rate.idea_placeholder": {"en": "What would make it better?", "ru": "Что сделает её лучше?"},
    "rate.not_applicable": {"en": "Not applicable — skip", "ru": "Не применимо — пропустить"},
    "rate.marked_na": {
        "en": "You marked this touchpoint as not applicable to this business.",
        "ru": "Вы отметили эту точку как неприменимую к этому бизнесу.",
    },
    "rate.undo_na": {"en": "Rate it after all", "ru": "Всё-таки оценить"},
    "rate.saved": {"en": "✓ Saved", "ru": "✓ Сохранено"},
    "rate.saved_at": {"en": "✓ Saved at {time}", "ru": "✓ Сохранено в {time}"},
    # The rating card and the quick grid (audit/ui/card): plain text, placeholders filled in the browser.
    "card.position": {"en": "{n} of {total}", "ru": "{n} из {total}"},
    "card.rated": {"en": "{done} rated", "ru": "оценено: {done}"},
    "card.rated_of": {"en": "Rated {done} of {total}", "ru": "Оценено {done} из {total}"},
    "card.look_at": {"en": "Look at:", "ru": "Смотрим:"},
    "card.importance": {"en": "Importance for the customer", "ru": "Важность для клиента"},
    "card.importance_short": {"en": "Importance", "ru": "Важность"},
    "card.importance_hint": {"en": "1 = hardly matters · 10 = critical", "ru": "1 — почти не важно · 10 — критически важно"},
    "card.reaction": {"en": "Customer's reaction today", "ru": "Реакция клиента сейчас"},
    "card.presence": {"en": "Do we have it?", "ru": "Есть ли она у нас?"},
    "card.comment": {"en": "Comment", "ru": "Комментарий"},
    "card.idea": {"en": "Idea", "ru": "Идея"},
    "card.comment_placeholder": {"en": "What did you notice?", "ru": "Что вы заметили?"},
    "card.idea_placeholder": {"en": "What would make it better?", "ru": "Что сделает её лучше?"},
    "card.previous": {"en": "Previous", "ru": "Назад"},
    "card.next": {"en": "Next", "ru": "Далее"},
    "card.next_unrated": {"en": "Next unrated", "ru": "К неоценённой"},
    "card.not_applicable": {"en": "Not applicable", "ru": "Не применимо"},
    "card.marked_na": {
        "en": "You marked this touchpoint as not applicable to this business.",
        "ru": "Вы отметили эту точку как неприменимую к этому бизнесу.",
    },
    "card.undo_na": {"en": "Rate it after all", "ru": "Всё-таки оценить"},
    "card.all_done": {"en": "Every touchpoint here has your answer. Thank you!", "ru": "Вы ответили по всем точкам здесь. Спасибо!"},
    "card.auto_advance": {"en": "Move on by itself", "ru": "Переходить сразу"},
    "card.moved": {"en": "Moved to the next touchpoint", "ru": "Следующая точка"},
    "card.undo": {"en": "Back", "ru": "Вернуться"},
    "card.status_sending": {"en": "sending…", "ru": "отправляется…"},
    "card.status_saved": {"en": "✓ saved", "ru": "✓ сохранено"},
    "card.status_retry": {"en": "not saved yet – will retry", "ru": "ещё не сохранено – повторим"},
    "card.status_refused": {"en": "not saved: refused", "ru": "не сохранено: отклонено"},
    "card.all_saved": {"en": "✓ All answers saved", "ru": "✓ Все ответы сохранены"},
    "card.sending_count": {"en": "Sending {count}…", "ru": "Отправляется: {count}…"},
    "card.waiting": {"en": "{count} not saved yet – will retry", "ru": "Не сохранено: {count} – повторим"},
    "card.following": {"en": "Following the facilitator", "ru": "Вы следуете за ведущим"},
    "card.facilitator_at": {"en": "The facilitator is at: {name}", "ru": "Ведущий сейчас на точке: {name}"},
    "card.facilitator_card": {"en": "The facilitator's touchpoint", "ru": "Точка ведущего"},
    "card.leave": {"en": "Leave", "ru": "Отключиться"},
    "card.follow": {"en": "Follow", "ru": "Следовать"},
    "card.time_left": {"en": "{time} left", "ru": "осталось {time}"},
    "card.time_up": {"en": "Time is up", "ru": "Время вышло"},
    "card.keys_hint": {
        "en": "Keys: 1–9, 0 = 10 importance · A S D reaction · Z X C presence · ← → or P N move",
        "ru": "Клавиши: 1–9, 0 = 10 важность · A S D реакция · Z X C наличие · ← → или P N переход",
    },
    "card.grid_keys_hint": {
        "en": "Click a row, then keys: 1–9, 0 = 10 · A S D reaction · Z X C presence · ↑ ↓ rows",
        "ru": "Выберите строку, затем клавиши: 1–9, 0 = 10 · A S D реакция · Z X C наличие · ↑ ↓ строки",
    },
    "card.col_touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "card.presence_short_have": {"en": "Have", "ru": "Есть"},
    "card.presence_short_missing": {"en": "Missing", "ru": "Нет"},
    "card.presence_short_not-needed": {"en": "Not needed", "ru": "Не нужна"},
    "rate.view": {"en": "View", "ru": "Вид"},
    "rate.view_card": {"en": "One by one", "ru": "По одной"},
    "rate.view_grid": {"en": "Quick grid", "ru": "Таблица"},
    "rate.grid_category": {"en": "Category in the grid", "ru": "Категория в таблице"},
    "rate.not_you": {"en": "Not {name}? Join as someone else", "ru": "Вы не {name}? Войти как другой участник"},
    "rate.same_name_title": {"en": "Is that you, {name}?", "ru": "Это вы, {name}?"},
    "rate.same_name_body": {
        "en": "Someone called **{name}** has already joined this audit. If that is you, continue with your "
        "personal link so your answers stay together: open this page on the device where you started "
        "(under “Continue on another device”), or ask the facilitator: the Links page lists every "
        "person's link and QR code.",
        "ru": "Участник с именем **{name}** уже есть в этом аудите. Если это вы, продолжите по своей личной "
        "ссылке, чтобы ответы не разделились: откройте эту страницу на устройстве, где вы начинали "
        "(раздел «Продолжить на другом устройстве»), или спросите ведущего: на странице «Ссылки» есть "
        "ссылка и QR-код каждого участника.",
    },
    "rate.same_name_other": {"en": "I'm someone else with the same name", "ru": "Я другой человек с таким же именем"},
    "rate.same_name_back": {"en": "Change the name", "ru": "Изменить имя"},
    # ---------------------------------------------------------------- brainstorm
    "add.title": {"en": "Add a touchpoint", "ru": "Добавить точку контакта"},
    "add.intro": {
        "en": "Something the catalog lacks? Add it: it joins this audit for everyone at once.",
        "ru": "Чего-то нет в каталоге? Добавьте: точка сразу появится у всех участников аудита.",
    },
    "add.category": {"en": "Category", "ru": "Категория"},
    "add.name": {"en": "Touchpoint", "ru": "Точка контакта"},
    "add.name_placeholder": {"en": "e.g. Parking sign", "ru": "например, Указатель парковки"},
    "add.question": {"en": "What to look at (optional)", "ru": "На что смотреть (необязательно)"},
    "add.question_placeholder": {"en": "e.g. Can a driver see it from the road?", "ru": "например, видно ли его с дороги?"},
    "add.submit": {"en": "Add it", "ru": "Добавить"},
    "add.need_name": {"en": "Please name the touchpoint.", "ru": "Введите название точки контакта."},
    "add.done": {"en": "Added “{name}” for everyone.", "ru": "Точка «{name}» добавлена для всех."},
    "add.rate_it": {"en": "Rate it now", "ru": "Оценить её сейчас"},
    "add.so_far": {"en": "Added by the team ({n})", "ru": "Добавлено командой ({n})"},
    "add.none_yet": {"en": "Nothing added yet.", "ru": "Пока ничего не добавлено."},
    # ---------------------------------------------------------------- board
    "board.intro": {
        "en": "Live: refreshes by itself every {seconds} seconds.",
        "ru": "В реальном времени: обновляется само каждые {seconds} с.",
    },
    "board.joined": {"en": "People joined", "ru": "Участников"},
    "board.answers": {"en": "Touchpoints rated (all people)", "ru": "Оценок (всего)"},
    "board.touchpoints_rated": {"en": "Touchpoints with votes", "ru": "Точек с голосами"},
    "board.team": {"en": "Team", "ru": "Команда"},
    "board.nobody_yet": {"en": "Nobody has joined yet.", "ru": "Пока никто не присоединился."},
    "board.col_person": {"en": "Person", "ru": "Участник"},
    "board.col_done": {"en": "Rated", "ru": "Оценено"},
    "board.col_joined": {"en": "Opened", "ru": "Открыл"},
    "board.discussed": {"en": "✓ discussed", "ru": "✓ обсудили"},
    "board.col_progress": {"en": "Progress", "ru": "Прогресс"},
    "board.discuss_first": {"en": "Discuss first", "ru": "Обсудить в первую очередь"},
    "board.discuss_none": {
        "en": "No disagreement yet: it shows once two people rate the same touchpoint differently.",
        "ru": "Разногласий пока нет: они появятся, когда двое оценят одну точку по-разному.",
    },
    "board.discuss_line": {
        "en": "{votes} votes · importance {importance} · {split} · disagreement {disagreement}",
        "ru": "голосов: {votes} · важность {importance} · {split} · разногласие {disagreement}",
    },
    "board.per_touchpoint": {"en": "Per touchpoint", "ru": "По точкам контакта"},
    "board.only_rated": {"en": "Only touchpoints with votes", "ru": "Только точки с голосами"},
    "board.col_category": {"en": "Category", "ru": "Категория"},
    "board.col_touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "board.col_votes": {"en": "Votes", "ru": "Голосов"},
    "board.col_importance": {"en": "Mean importance", "ru": "Средняя важность"},
    "board.col_positive": {"en": "Positive", "ru": "Позитивных"},
    "board.col_neutral": {"en": "Neutral", "ru": "Нейтральных"},
    "board.col_negative": {"en": "Negative", "ru": "Негативных"},
    "board.col_disagreement": {"en": "Disagreement", "ru": "Разногласие"},
    # ---------------------------------------------------------------- presenter
    "present.pick": {"en": "Touchpoint on screen", "ru": "Точка на экране"},
    "present.empty": {"en": "The catalog is empty.", "ru": "Каталог пуст."},
    "present.votes": {"en": "Votes", "ru": "Голосов"},
    "present.importance": {"en": "Mean importance", "ru": "Средняя важность"},
    "present.na": {"en": "not applicable", "ru": "не применимо"},
    "present.comments": {"en": "Comments", "ru": "Комментарии"},
    "present.ideas": {"en": "Ideas", "ru": "Идеи"},
    "present.no_comments": {"en": "No comments yet.", "ru": "Комментариев пока нет."},
    "present.follow_me": {"en": "Team follows me", "ru": "Команда следует за мной"},
    "present.follow_me_help": {
        "en": "Every team member's card moves to the touchpoint on screen (people can leave and come back).",
        "ru": "Карточки всех участников переходят к точке на экране (участник может отключиться и вернуться).",
    },
    "present.countdown_seconds": {"en": "Seconds", "ru": "Секунд"},
    "present.countdown_start": {"en": "Start countdown", "ru": "Запустить таймер"},
    "present.countdown_stop": {"en": "Stop countdown", "ru": "Остановить таймер"},
    "present.mark_discussed": {"en": "Mark discussed", "ru": "Отметить: обсудили"},
    "present.undiscussed": {"en": "Not discussed yet", "ru": "Ещё не обсудили"},
    "present.anonymous": {"en": "Hide names", "ru": "Скрыть имена"},
    # ---------------------------------------------------------------- shopper visits: shared words
    "visit.ours": {"en": "Our business", "ru": "Наш бизнес"},
    "visit.by": {"en": "by {name}", "ru": "проверял(а): {name}"},
    "visit.scenario": {"en": "Scenario", "ru": "Сценарий"},
    "visit.recommend_short": {"en": "Would recommend", "ru": "Порекомендовал(а) бы"},
    "visit.review_note": {"en": "Owner's note", "ru": "Комментарий владельца"},
    "visit.measured": {"en": "Measured", "ru": "Замер"},
    "visit.no_observations": {"en": "No touchpoints observed yet.", "ru": "Пока не отмечено ни одной точки контакта."},
    "visit_channel.in-person": {"en": "In person", "ru": "Лично"},
    "visit_channel.phone": {"en": "Phone call", "ru": "Звонок"},
    "visit_channel.website": {"en": "Website", "ru": "Сайт"},
    "visit_channel.chat": {"en": "Chat or messenger", "ru": "Чат или мессенджер"},
    "visit_channel.email": {"en": "Email", "ru": "Электронная почта"},
    "visit_channel.social": {"en": "Social network", "ru": "Соцсеть"},
    "visit_channel.delivery": {"en": "Delivery", "ru": "Доставка"},
    "visit_status.draft": {"en": "Draft", "ru": "Черновик"},
    "visit_status.submitted": {"en": "Submitted", "ru": "Отправлен"},
    "visit_status.accepted": {"en": "Accepted", "ru": "Принят"},
    "visit_status.rejected": {"en": "Rejected", "ru": "Отклонён"},
    "visit_status.revision": {"en": "Revision asked", "ru": "На доработке"},
    "standard.met": {"en": ":material/check: met", "ru": ":material/check: выполнен"},
    "standard.not_met": {"en": ":material/close: not met", "ru": ":material/close: не выполнен"},
    "versus.better": {"en": "Better than us", "ru": "Лучше нас"},
    "versus.same": {"en": "Same as us", "ru": "Как у нас"},
    "versus.worse": {"en": "Worse than us", "ru": "Хуже нас"},
    "versus_short.better": {"en": "▲ better", "ru": "▲ лучше"},
    "versus_short.same": {"en": "= same", "ru": "= так же"},
    "versus_short.worse": {"en": "▼ worse", "ru": "▼ хуже"},
    "comparison.at_most": {"en": "at most (<=)", "ru": "не больше (<=)"},
    "comparison.less": {"en": "less than (<)", "ru": "меньше (<)"},
    "comparison.at_least": {"en": "at least (>=)", "ru": "не меньше (>=)"},
    "comparison.more": {"en": "more than (>)", "ru": "больше (>)"},
    "comparison.equal": {"en": "exactly (=)", "ru": "ровно (=)"},
    "access.not_your_visit": {
        "en": "This visit is not one of yours, or it no longer exists. Here are your visits.",
        "ru": "Этот визит не ваш или его больше нет. Вот ваши визиты.",
    },
    # ---------------------------------------------------------------- shopper report
    "shopper.join_intro": {
        "en": "You check this business as a customer would. Enter your name once; then report each visit, call or "
        "message. Everything is saved as you type, so you can close the page and come back with the same link.",
        "ru": "Вы проверяете этот бизнес глазами клиента. Один раз введите имя, затем описывайте каждый визит, звонок "
        "или переписку. Всё сохраняется по ходу заполнения: страницу можно закрыть и вернуться по той же ссылке.",
    },
    "shopper.name_placeholder": {"en": "e.g. Mila", "ru": "например, Мила"},
    "shopper.start": {"en": "Start", "ru": "Начать"},
    "shopper.you_are": {"en": "Reporting as **{name}**", "ru": "Вы отчитываетесь как **{name}**"},
    "shopper.other_device_help": {
        "en": "Your personal link: open it (or scan the code) on another device to continue with your visits.",
        "ru": "Ваша личная ссылка: откройте её (или отсканируйте код) на другом устройстве, чтобы продолжить свои отчёты.",
    },
    "shopper.new_visit": {"en": "Report a new visit", "ru": "Новый отчёт о визите"},
    "shopper.target": {"en": "Where", "ru": "Где"},
    "shopper.channel": {"en": "How", "ru": "Как"},
    "shopper.date": {"en": "Date", "ru": "Дата"},
    "shopper.time": {"en": "Time", "ru": "Время"},
    "shopper.location": {"en": "Location or branch", "ru": "Адрес или филиал"},
    "shopper.location_example": {"en": "e.g. {place}", "ru": "например, {place}"},
    "shopper.location_placeholder": {"en": "Address, branch or website", "ru": "Адрес, филиал или сайт"},
    "shopper.begin": {"en": "Start the report", "ru": "Начать отчёт"},
    "shopper.my_visits": {"en": "My visits", "ru": "Мои визиты"},
    "shopper.no_visits": {"en": "No visits yet.", "ru": "Визитов пока нет."},
    "shopper.observed_n": {"en": "Touchpoints observed: {n}", "ru": "Отмечено точек контакта: {n}"},
    "shopper.continue": {"en": "Continue", "ru": "Продолжить"},
    "shopper.open": {"en": "Open", "ru": "Открыть"},
    "shopper.submitted": {
        "en": "Thank you! The report was sent to the owner for review.",
        "ru": "Спасибо! Отчёт отправлен владельцу на проверку.",
    },
    "shopper.back": {"en": "My visits", "ru": "Мои визиты"},
    "shopper.locked": {
        "en": "This report was submitted and can no longer be changed.",
        "ru": "Этот отчёт отправлен, изменить его уже нельзя.",
    },
    "shopper.revision": {
        "en": "The owner asked you to revise this report: {note}",
        "ru": "Владелец просит доработать отчёт: {note}",
    },
    "shopper.autosave": {
        "en": "Draft: every change is saved at once.",
        "ru": "Черновик: каждое изменение сохраняется сразу.",
    },
    "shopper.details": {"en": "Visit details", "ru": "Подробности визита"},
    "shopper.scenario": {"en": "Scenario played", "ru": "Сценарий"},
    "shopper.scenario_placeholder": {
        "en": "e.g. A first-time customer asks about delivery",
        "ru": "например, новый клиент спрашивает о доставке",
    },
    "shopper.touchpoints": {"en": "Touchpoints", "ru": "Точки контакта"},
    "shopper.route": {"en": "Follow a route", "ru": "Пройти по маршруту"},
    "shopper.route_placeholder": {"en": "Choose a customer journey", "ru": "Выберите путь клиента"},
    "shopper.route_help": {
        "en": "Adds every touchpoint of the journey, in the order a customer meets them.",
        "ru": "Добавит все точки пути клиента в том порядке, в каком клиент их проходит.",
    },
    "shopper.add_touchpoint": {"en": "Add a touchpoint", "ru": "Добавить точку контакта"},
    "shopper.add_placeholder": {"en": "Type to search", "ru": "Начните вводить название"},
    "shopper.add_help": {
        "en": "Touchpoints of the channel “{channel}” come first (marked ●).",
        "ru": "Сначала идут точки канала «{channel}» (отмечены ●).",
    },
    "shopper.pick_first": {
        "en": "Follow a route or add the touchpoints you met, then note what happened at each.",
        "ru": "Выберите маршрут или добавьте точки, которые вы прошли, и опишите, что было в каждой.",
    },
    "shopper.reaction": {"en": "Your reaction as a customer", "ru": "Ваша реакция как клиента"},
    "shopper.what_happened": {"en": "What happened", "ru": "Что произошло"},
    "shopper.what_happened_placeholder": {
        "en": "Facts: what you saw, heard, waited for",
        "ru": "Факты: что вы увидели, услышали, сколько ждали",
    },
    "shopper.measurement": {"en": "Measured: {metric} ({unit})", "ru": "Замер: {metric} ({unit})"},
    "shopper.measurement_placeholder": {"en": "a number, e.g. 3", "ru": "число, например 3"},
    "shopper.needs_reaction": {
        "en": "Choose your reaction to save this touchpoint.",
        "ru": "Выберите реакцию, чтобы сохранить эту точку.",
    },
    "shopper.not_saved": {"en": "The last change was not saved", "ru": "Последнее изменение не сохранено"},
    "shopper.remove": {"en": "Remove", "ru": "Убрать"},
    "shopper.photos": {"en": "Photos", "ru": "Фотографии"},
    "shopper.photos_help": {
        "en": "JPEG, PNG or HEIC, up to {limit} MB each. Location data is removed from every photo.",
        "ru": "JPEG, PNG или HEIC, до {limit} МБ каждая. Геоданные из фотографий удаляются.",
    },
    "shopper.photo_of": {"en": "Photo of", "ru": "Что на фото"},
    "shopper.photo_whole_visit": {"en": "The visit in general", "ru": "Визит в целом"},
    "shopper.photo_upload": {"en": "Add a photo", "ru": "Добавить фото"},
    "shopper.photo_empty": {"en": "The file is empty. Please choose the photo again.", "ru": "Файл пустой. Выберите фотографию ещё раз."},
    "shopper.photo_too_big": {
        "en": "This photo is {size} MB; the limit is {limit} MB. Please send a smaller one (e.g. a screenshot of it). Nothing was saved.",
        "ru": "Фото весит {size} МБ, а можно не больше {limit} МБ. Пришлите фото поменьше (например, его скриншот). Ничего не сохранено.",
    },
    "shopper.photo_not_photo": {
        "en": "This file is not a photo: only JPEG, PNG and HEIC pictures are accepted, whatever the file is called. Nothing was saved.",
        "ru": "Этот файл — не фотография: принимаются только снимки JPEG, PNG и HEIC, как бы ни назывался файл. Ничего не сохранено.",
    },
    "shopper.photo_too_many_pixels": {
        "en": "This picture is larger than {limit} megapixels. Please send a smaller one. Nothing was saved.",
        "ru": "Снимок больше {limit} мегапикселей. Пришлите снимок поменьше. Ничего не сохранено.",
    },
    "shopper.photo_unreadable": {
        "en": "This photo is damaged and cannot be read. Please take or choose it again. Nothing was saved.",
        "ru": "Фотография повреждена и не читается. Сделайте или выберите её ещё раз. Ничего не сохранено.",
    },
    "shopper.recommend": {
        "en": "Would you recommend this business to a friend? (0–10)",
        "ru": "Порекомендовали бы вы этот бизнес другу? (0–10)",
    },
    "shopper.recommend_help": {"en": "0 = never, 10 = certainly.", "ru": "0 — ни за что, 10 — обязательно."},
    "shopper.submit_help": {
        "en": "When the report is complete, submit it. After that it can no longer be changed.",
        "ru": "Когда отчёт готов, отправьте его. После этого изменить его будет нельзя.",
    },
    "shopper.submit": {"en": "Submit the report", "ru": "Отправить отчёт"},
    "shopper.error_number": {
        "en": "The measurement must be a number, e.g. 3 or 2.5. It was not saved.",
        "ru": "Замер должен быть числом, например 3 или 2,5. Он не сохранён.",
    },
    "shopper.error_negative": {
        "en": "The measurement cannot be negative. It was not saved.",
        "ru": "Замер не может быть отрицательным. Он не сохранён.",
    },
    "shopper.error_future": {
        "en": "The visit cannot be in the future: please check the date and time. Nothing was saved.",
        "ru": "Визит не может быть в будущем: проверьте дату и время. Ничего не сохранено.",
    },
    "shopper.error_empty": {
        "en": "The report is empty: add at least one touchpoint with your reaction before you submit it.",
        "ru": "Отчёт пустой: перед отправкой добавьте хотя бы одну точку контакта со своей реакцией.",
    },
    "shopper.error_recommend": {
        "en": "Please choose a number from 0 to 10.",
        "ru": "Выберите число от 0 до 10.",
    },
    "shopper.error_locked": {
        "en": "This report was already submitted and can no longer be changed.",
        "ru": "Этот отчёт уже отправлен, изменить его нельзя.",
    },
    # ---------------------------------------------------------------- owner: review of visits
    "review.title": {"en": "Shopper visits", "ru": "Визиты тайных покупателей"},
    "review.intro": {
        "en": "Accept, reject (with a reason) or send back each submitted visit. Only accepted visits count in the scores; "
        "the others are kept.",
        "ru": "Примите, отклоните (с указанием причины) или верните на доработку каждый отправленный визит. В оценках "
        "учитываются только принятые визиты; остальные сохраняются.",
    },
    "review.per_shopper": {"en": "Per shopper", "ru": "По покупателям"},
    "review.per_target": {"en": "Per target", "ru": "По объектам"},
    "review.no_shoppers": {"en": "No shopper has filed a visit yet.", "ru": "Тайные покупатели ещё не отправляли отчётов."},
    "review.status": {"en": "Status", "ru": "Статус"},
    "review.shopper": {"en": "Shopper", "ru": "Покупатель"},
    "review.target": {"en": "Where", "ru": "Где"},
    "review.all": {"en": "All", "ru": "Все"},
    "review.none": {"en": "No visits match these filters.", "ru": "Под эти фильтры не подходит ни один визит."},
    "review.showing": {
        "en": "Showing the newest {shown} of {total} visits; use the filters to narrow the list.",
        "ru": "Показаны последние {shown} из {total} визитов; сузьте список фильтрами.",
    },
    "review.counts": {"en": "Counts in the scores.", "ru": "Учитывается в оценках."},
    "review.not_counted": {"en": "Not counted in the scores.", "ru": "Не учитывается в оценках."},
    "review.note": {"en": "Note to the shopper", "ru": "Комментарий для покупателя"},
    "review.note_placeholder": {
        "en": "Required for a rejection; optional otherwise",
        "ru": "Обязателен при отклонении, в остальных случаях — по желанию",
    },
    "review.do_accepted": {"en": "Accept", "ru": "Принять"},
    "review.do_revision": {"en": "Ask for a revision", "ru": "Вернуть на доработку"},
    "review.do_rejected": {"en": "Reject", "ru": "Отклонить"},
    "review.done_accepted": {"en": "Visit {n} accepted: it now counts in the scores.", "ru": "Визит {n} принят: теперь он учитывается в оценках."},
    "review.done_revision": {"en": "Visit {n} sent back to the shopper for a revision.", "ru": "Визит {n} возвращён покупателю на доработку."},
    "review.done_rejected": {"en": "Visit {n} rejected: it is kept but does not count.", "ru": "Визит {n} отклонён: он сохранён, но не учитывается."},
    "review.error_reason": {
        "en": "Please write the reason for the rejection in the note; nothing was changed.",
        "ru": "Укажите причину отклонения в комментарии; ничего не изменено.",
    },
    # ---------------------------------------------------------------- owner: standards
    "standards.title": {"en": "Standards", "ru": "Стандарты"},
    "standards.intro": {
        "en": "A standard is a measurable norm a mystery shopper can check, e.g. “rings before the answer ≤ 3”. "
        "Each measurement in an accepted visit to our business is judged met or not met; missed standards raise "
        "the touchpoint's priority in the plan.",
        "ru": "Стандарт — измеримая норма, которую может проверить тайный покупатель, например «гудков до ответа ≤ 3». "
        "Каждый замер в принятом визите к нам оценивается как выполненный или нет; невыполненные стандарты "
        "поднимают приоритет точки в плане.",
    },
    "standards.none": {
        "en": "No standards yet. Choose a touchpoint below to set one.",
        "ru": "Стандартов пока нет. Выберите точку ниже, чтобы задать стандарт.",
    },
    "standards.col_touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "standards.col_standard": {"en": "Standard", "ru": "Стандарт"},
    "standards.col_source": {"en": "Source", "ru": "Источник"},
    "standards.col_measured": {"en": "Measured", "ru": "Замеров"},
    "standards.col_met": {"en": "Met", "ru": "Выполнено"},
    "standards.col_share": {"en": "Share met", "ru": "Доля выполнения"},
    "standards.source_catalog": {"en": "catalog default", "ru": "из каталога"},
    "standards.source_own": {"en": "set for this audit", "ru": "задан для аудита"},
    "standards.source_off": {"en": "switched off", "ru": "отключён"},
    "standards.share_help": {
        "en": "From accepted shopper visits to our business only.",
        "ru": "Только по принятым визитам тайных покупателей к нам.",
    },
    "standards.edit": {"en": "Set or edit a standard", "ru": "Задать или изменить стандарт"},
    "standards.touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "standards.touchpoint_help": {
        "en": "Touchpoints with a standard come first.",
        "ru": "Сначала идут точки, у которых уже есть стандарт.",
    },
    "standards.metric": {"en": "What is measured", "ru": "Что измеряем"},
    "standards.metric_placeholder": {"en": "e.g. rings before the answer", "ru": "например, гудков до ответа"},
    "standards.comparison": {"en": "Must be", "ru": "Должно быть"},
    "standards.threshold": {"en": "Value", "ru": "Значение"},
    "standards.unit": {"en": "Unit", "ru": "Единица"},
    "standards.unit_placeholder": {"en": "e.g. rings", "ru": "например, гудков"},
    "standards.save": {"en": "Save the standard", "ru": "Сохранить стандарт"},
    "standards.catalog_default": {"en": "Catalog default: {standard}", "ru": "По каталогу: {standard}"},
    "standards.reset": {"en": "Back to the catalog default", "ru": "Вернуть как в каталоге"},
    "standards.off": {"en": "Switch off", "ru": "Отключить"},
    "standards.done_saved": {"en": "Standard saved for “{name}”.", "ru": "Стандарт для «{name}» сохранён."},
    "standards.done_reset": {"en": "“{name}” is back to the catalog default.", "ru": "Для «{name}» снова действует стандарт из каталога."},
    "standards.done_off": {"en": "The standard of “{name}” is switched off.", "ru": "Стандарт для «{name}» отключён."},
    # ---------------------------------------------------------------- owner: competitors
    "competitors.title": {"en": "Competitors", "ru": "Конкуренты"},
    "competitors.intro": {
        "en": "Per competitor and touchpoint: do they do better, the same or worse than us, and what can we borrow? "
        "Accepted shopper visits to competitors count here too.",
        "ru": "По каждому конкуренту и точке контакта: лучше, так же или хуже, чем у нас, и что можно перенять? "
        "Принятые визиты тайных покупателей к конкурентам тоже учитываются.",
    },
    "competitors.none": {
        "en": "This audit has no competitors yet. Add the first one to compare.",
        "ru": "В аудите пока нет конкурентов. Добавьте первого, чтобы сравнивать.",
    },
    "competitors.lose": {"en": "Where we lose", "ru": "Где мы проигрываем"},
    "competitors.win": {"en": "Where we win", "ru": "Где мы выигрываем"},
    "competitors.lose_none": {"en": "No competitor does better than us so far.", "ru": "Пока ни один конкурент не лучше нас."},
    "competitors.win_none": {"en": "We do better than a competitor nowhere so far.", "ru": "Пока мы ни в чём не лучше конкурентов."},
    "competitors.source_note": {"en": "team note", "ru": "заметка команды"},
    "competitors.source_shoppers": {"en": "from shopper visits", "ru": "по визитам тайных покупателей"},
    "competitors.importance": {"en": "importance {value}", "ru": "важность {value}"},
    "competitors.borrow_line": {"en": "To borrow: {text}", "ru": "Перенять: {text}"},
    "competitors.more": {"en": "… and {n} more (see the table below).", "ru": "… и ещё {n} (см. таблицу ниже)."},
    "competitors.side_by_side": {"en": "Side by side", "ru": "Сравнение"},
    "competitors.no_evidence": {
        "en": "Nothing to compare yet: record a comparison below or accept shopper visits to competitors.",
        "ru": "Сравнивать пока нечего: добавьте сравнение ниже или примите визиты тайных покупателей к конкурентам.",
    },
    "competitors.col_touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "competitors.col_us_team": {"en": "Us: team", "ru": "Мы: команда"},
    "competitors.col_us_shoppers": {"en": "Us: shoppers", "ru": "Мы: покупатели"},
    "competitors.their_shoppers": {"en": "shoppers {value}", "ru": "покупатели {value}"},
    "competitors.table_help": {
        "en": "Scores are mean reactions from −1 (negative) to +1 (positive); “Us: shoppers” shows the number of observations "
        "in brackets. A competitor's cell says how they do compared with us.",
        "ru": "Оценки — средняя реакция от −1 (негатив) до +1 (позитив); в «Мы: покупатели» в скобках число наблюдений. "
        "В ячейке конкурента — как он выглядит по сравнению с нами.",
    },
    "competitors.record": {"en": "Record a comparison", "ru": "Добавить сравнение"},
    "competitors.competitor": {"en": "Competitor", "ru": "Конкурент"},
    "competitors.touchpoint": {"en": "Touchpoint", "ru": "Точка контакта"},
    "competitors.versus": {"en": "Compared with us, they are", "ru": "По сравнению с нами у них"},
    "competitors.reaction": {"en": "A customer's reaction there (optional)", "ru": "Реакция клиента у них (необязательно)"},
    "competitors.borrow": {"en": "What to borrow", "ru": "Что перенять"},
    "competitors.borrow_placeholder": {
        "en": "e.g. They send an SMS when the order is ready",
        "ru": "например, присылают СМС, когда заказ готов",
    },
    "competitors.author": {"en": "Noted by (optional)", "ru": "Кто заметил (необязательно)"},
    "competitors.save": {"en": "Save the comparison", "ru": "Сохранить сравнение"},
    "competitors.existing": {
        "en": "Saving replaces the earlier note for this competitor and touchpoint.",
        "ru": "Сохранение заменит прежнюю заметку по этому конкуренту и точке.",
    },
    "competitors.need_versus": {
        "en": "Please choose better, same or worse; nothing was saved.",
        "ru": "Выберите «лучше», «так же» или «хуже»; ничего не сохранено.",
    },
    "competitors.saved": {"en": "Saved: {competitor}, “{touchpoint}”.", "ru": "Сохранено: {competitor}, «{touchpoint}»."},
    "competitors.add": {"en": "Add a competitor", "ru": "Добавить конкурента"},
    "competitors.add_name": {"en": "Competitor's name", "ru": "Название конкурента"},
    "competitors.add_placeholder": {"en": "e.g. Bread & Co", "ru": "например, Хлебный дом"},
    "competitors.add_button": {"en": "Add", "ru": "Добавить"},
}


def po_path(language: str, locales: Path = LOCALES) -> Path:
    """Where the gettext file of ``language`` lives."""
    return locales / language / "LC_MESSAGES" / "messages.po"


def read_translations(path: Path) -> dict[str, str]:
    """``{key: text}`` from one ``.po`` file; untranslated and fuzzy entries are left out."""
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {
        str(message.id): str(message.string)
        for message in catalog
        if message.id and isinstance(message.id, str) and isinstance(message.string, str)
        and message.string and not message.fuzzy
    }


def _load(locales: Path = LOCALES) -> Mapping[str, Mapping[str, str]]:
    """Every language's ``.po`` file, read once (read-only afterwards: shared by all users safely)."""
    return MappingProxyType(
        {lang: MappingProxyType(read_translations(po_path(lang, locales))) for lang in LANGUAGES if po_path(lang, locales).exists()}
    )


TRANSLATIONS = _load()


def t(key: str, lang: str | None = DEFAULT, /, **fmt: Any) -> str:
    """The message ``key`` in ``lang`` (English if the language or the key in it is missing), formatted with ``fmt``.

    An unknown key returns the key itself, so a missing text is visible but
    never breaks a page.
    """
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    language = lang or DEFAULT
    text = entry.get(language) or TRANSLATIONS.get(language, {}).get(key) or entry[DEFAULT]
    return text.format(**fmt) if fmt else text


def translated(prefix: str, lang: str, english: Mapping[str, str]) -> dict[str, str]:
    """A core table in ``lang``: ``english[k]`` replaced by the ``.po`` entry ``prefix.k`` where it has one.

    For the tables outside :data:`MESSAGES` (plan texts, owner roles, demo texts)
    whose English lives next to the code that uses them.
    """
    found = TRANSLATIONS.get(lang, {})
    return {key: found.get(f"{prefix}.{key}") or text for key, text in english.items()}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
