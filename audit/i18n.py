"""Every string the app shows, in English and Russian: ``t(key, lang, **fmt)``.

One small message catalogue instead of strings scattered in pages. Values are
Markdown written by us (never user text); placeholders use ``str.format``
names, and values put into them by the pages are escaped first where they come
from people. A unit test checks that both languages have the same keys and the
same placeholders.
"""

from __future__ import annotations

import string
from typing import Any

LANGUAGES = ("en", "ru")
DEFAULT = "en"

# key -> {"en": ..., "ru": ...}
MESSAGES: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- app, pages
    "app.title": {"en": "Touchpoint Audit", "ru": "Аудит точек контакта"},
    "ui.language": {"en": "Language", "ru": "Язык"},
    "language.en": {"en": "English", "ru": "Английский"},
    "language.ru": {"en": "Russian", "ru": "Русский"},
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
    "welcome.privacy": {
        "en": "No sign-up: each audit is opened by its links. Keep the owner link to yourself.",
        "ru": "Без регистрации: аудит открывается по ссылкам. Ссылку владельца храните у себя.",
    },
    "open.title": {"en": "Open an audit with a link", "ru": "Открыть аудит по ссылке"},
    "open.paste": {"en": "Paste the link (or its code) you were sent", "ru": "Вставьте ссылку (или её код), которую вам прислали"},
    "open.go": {"en": "Open", "ru": "Открыть"},
    # ---------------------------------------------------------------- create
    "create.title": {"en": "Create an audit", "ru": "Создать аудит"},
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
        "en": "One row per touchpoint with the columns id, category, name_en or name_ru, question_en/question_ru "
        "and optional stage and channel. Every problem is listed with its line.",
        "ru": "Одна строка на точку контакта: столбцы id, category, name_en или name_ru, question_en/question_ru "
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
        "en": "Send each person their own link: it opens the walk-through as that person.",
        "ru": "Отправьте каждому его ссылку: она откроет оценку от имени этого человека.",
    },
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
    # ---------------------------------------------------------------- shopper
    "shopper.body": {
        "en": "This is the mystery shopper's link to this audit. The visit report form opens here once it is enabled "
        "for this audit; until then, please keep this link for later.",
        "ru": "Это ссылка тайного покупателя для этого аудита. Форма отчёта о визите откроется здесь, когда её включат "
        "для аудита; до тех пор сохраните эту ссылку.",
    },
}


def t(key: str, lang: str | None = DEFAULT, /, **fmt: Any) -> str:
    """The message ``key`` in ``lang`` (English if the language is unknown), formatted with ``fmt``.

    An unknown key returns the key itself, so a missing text is visible but
    never breaks a page.
    """
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    text = entry.get(lang or DEFAULT) or entry[DEFAULT]
    return text.format(**fmt) if fmt else text


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
