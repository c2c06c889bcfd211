"""A small parallel corpus written for the course: sentences in Spanish and English, by topic.

3,700 to 3,800 words per language about everyday life and about this course's own subject,
aligned sentence by sentence. Read it with :func:`spanish_text`, :func:`english_text`,
:func:`sentences` or :func:`parallel_sentences`. The corpus lives in the code, not in a data
file, so editing a sentence changes this module's hash and re-runs exactly the lessons that
read it. Introduced in lesson "Tokenization".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Language = Literal["es", "en"]


@dataclass(frozen=True)
class _Topic:
    name_es: str
    name_en: str
    block: str  # one "spanish | english" pair per line


@dataclass(frozen=True)
class Topic:
    """A group of aligned sentences about one subject (a paragraph in each language)."""

    name: dict[str, str]  # language -> topic name
    pairs: tuple[tuple[str, str], ...]  # (spanish, english) sentences

    def text(self, lang: Language) -> str:
        """The topic's sentences in one language, as a paragraph."""
        index = 0 if lang == "es" else 1
        return " ".join(pair[index] for pair in self.pairs)


_RAW_TOPICS: tuple[_Topic, ...] = (
    _Topic(
        "mañana",
        "morning",
        """
Me despierto a las siete y abro la ventana para mirar el cielo. | I wake up at seven and open the window to look at the sky.
Si hace sol, salgo a caminar un rato antes de desayunar. | If it is sunny, I go for a short walk before breakfast.
Mi hermana prefiere dormir un poco más y se levanta a las ocho. | My sister prefers to sleep a little longer and gets up at eight.
En la cocina preparo café, tostadas con tomate y un vaso de zumo de naranja. | In the kitchen I make coffee, toast with tomato and a glass of orange juice.
Mi padre lee el periódico mientras escucha la radio. | My father reads the newspaper while he listens to the radio.
Mi madre sale temprano porque trabaja en un hospital al otro lado de la ciudad. | My mother leaves early because she works at a hospital on the other side of the city.
Antes de salir reviso la mochila: el portátil, el cargador, un cuaderno y las llaves. | Before leaving I check my backpack: the laptop, the charger, a notebook and the keys.
¿Dónde habré dejado las llaves esta vez? | Where have I left the keys this time?
El autobús pasa cada diez minutos por la esquina de mi calle. | The bus passes every ten minutes at the corner of my street.
Los lunes siempre hay más tráfico y llego un poco tarde. | On Mondays there is always more traffic and I arrive a little late.
Los viernes, en cambio, la ciudad parece más tranquila. | On Fridays, on the other hand, the city seems calmer.
Cuando llueve, llevo un paraguas y unas botas viejas. | When it rains, I carry an umbrella and a pair of old boots.
En invierno todavía es de noche cuando salgo de casa. | In winter it is still dark when I leave home.
En verano, a esa hora, el sol ya calienta las calles. | In summer, at that hour, the sun is already warming the streets.
Mi perro me acompaña hasta la puerta y luego vuelve a su cama. | My dog walks me to the door and then goes back to his bed.
El gato duerme en el sofá y no se mueve hasta el mediodía. | The cat sleeps on the sofa and does not move until noon.
Me gusta empezar el día con una lista corta de tareas. | I like to start the day with a short list of tasks.
Primero contesto los mensajes urgentes y después me concentro en el trabajo importante. | First I answer the urgent messages and then I focus on the important work.
Una mañana bien organizada hace que el resto del día sea más fácil. | A well-organised morning makes the rest of the day easier.
    """,
    ),
    _Topic(
        "comida",
        "food",
        """
En mi casa comemos juntos casi todos los días a las dos de la tarde. | At home we eat together almost every day at two in the afternoon.
Mi abuela cocina el mejor arroz con pollo del barrio. | My grandmother cooks the best chicken and rice in the neighbourhood.
Para preparar una sopa de verduras se necesitan zanahorias, cebolla, patatas y un poco de sal. | To make a vegetable soup you need carrots, onion, potatoes and a little salt.
Mi hermano no come carne, así que siempre pide una ensalada o un plato de lentejas. | My brother does not eat meat, so he always orders a salad or a plate of lentils.
Los domingos hacemos tortilla de patatas y la compartimos con los vecinos. | On Sundays we make a potato omelette and share it with the neighbours.
El pan recién hecho huele muy bien por la mañana. | Freshly baked bread smells wonderful in the morning.
De postre hay fruta: manzanas, plátanos, uvas o fresas, según la estación. | For dessert there is fruit: apples, bananas, grapes or strawberries, depending on the season.
A los niños les encanta el chocolate, pero no deberían comer demasiado. | Children love chocolate, but they should not eat too much of it.
Mi madre bebe té verde y mi padre prefiere el café solo. | My mother drinks green tea and my father prefers black coffee.
Cenamos algo ligero: queso, pan, tomate y un poco de jamón. | We have something light for dinner: cheese, bread, tomato and a little ham.
En verano tomamos gazpacho, una sopa fría de tomate, pepino y pimiento. | In summer we have gazpacho, a cold soup of tomato, cucumber and pepper.
En invierno apetecen los guisos calientes de garbanzos y patatas. | In winter hot stews of chickpeas and potatoes are welcome.
Comer despacio y sin pantallas ayuda a disfrutar de la comida. | Eating slowly and without screens helps you enjoy the food.
El pescado a la plancha con limón es sencillo, sano y rápido. | Grilled fish with lemon is simple, healthy and quick.
Mi tía hace unas galletas de avena y miel que desaparecen en minutos. | My aunt makes oat and honey biscuits that disappear in minutes.
Cuando cocinamos juntos, cada persona se encarga de un plato. | When we cook together, each person takes care of one dish.
La receta de la familia está escrita a mano en un cuaderno antiguo. | The family recipe is handwritten in an old notebook.
Después de comer, alguien lava los platos y otra persona prepara el café. | After lunch, someone washes the dishes and someone else makes the coffee.
    """,
    ),
    _Topic(
        "mercado",
        "market",
        """
Los sábados voy al mercado con mi padre a comprar fruta y verdura. | On Saturdays I go to the market with my father to buy fruit and vegetables.
La frutera nos saluda por nuestro nombre y nos guarda los mejores tomates. | The fruit seller greets us by name and saves the best tomatoes for us.
Un kilo de naranjas cuesta dos euros y medio. | A kilo of oranges costs two and a half euros.
En el puesto del pescado hay sardinas, merluza y calamares. | At the fish stall there are sardines, hake and squid.
Siempre llevamos bolsas de tela para no usar plástico. | We always bring cloth bags so we do not use plastic.
Mi madre compara los precios antes de decidir qué comprar. | My mother compares prices before deciding what to buy.
En la panadería compramos dos barras de pan y una docena de magdalenas. | At the bakery we buy two loaves of bread and a dozen muffins.
El supermercado está abierto hasta las diez de la noche. | The supermarket is open until ten at night.
Cuando hay ofertas, la cola para pagar es muy larga. | When there are special offers, the queue to pay is very long.
Pagar con tarjeta es cómodo, pero algunos puestos pequeños solo aceptan efectivo. | Paying by card is convenient, but some small stalls only accept cash.
Hago una lista de la compra para no olvidar nada. | I make a shopping list so I do not forget anything.
Hoy necesitamos leche, huevos, arroz, aceite y jabón. | Today we need milk, eggs, rice, oil and soap.
El vendedor de quesos nos deja probar un trozo antes de comprar. | The cheese seller lets us taste a piece before buying.
Las fresas están más baratas en primavera que en otoño. | Strawberries are cheaper in spring than in autumn.
Comprar productos de la zona ayuda a los agricultores del valle. | Buying local products helps the farmers of the valley.
Al volver a casa, guardamos la comida fresca en la nevera. | When we get home, we put the fresh food in the fridge.
Si algo llega en mal estado, la tienda lo cambia sin problemas. | If something arrives in bad condition, the shop replaces it without any trouble.
    """,
    ),
    _Topic(
        "tiempo",
        "weather",
        """
En primavera los días se alargan y los árboles se llenan de flores. | In spring the days grow longer and the trees fill with flowers.
El verano en el sur es muy caluroso y seco. | Summer in the south is very hot and dry.
En otoño caen las hojas y empiezan las primeras lluvias. | In autumn the leaves fall and the first rains begin.
El invierno en la montaña trae nieve, viento y mucho frío. | Winter in the mountains brings snow, wind and a lot of cold.
Hoy el cielo está nublado y puede que llueva por la tarde. | Today the sky is cloudy and it may rain in the afternoon.
¡Qué frío hace esta mañana! | How cold it is this morning!
Ayer hizo un día espléndido, con sol y una brisa suave. | Yesterday was a splendid day, with sunshine and a gentle breeze.
Mañana bajarán las temperaturas y habrá heladas por la noche. | Tomorrow temperatures will drop and there will be frost at night.
La previsión del tiempo anuncia tormentas para el fin de semana. | The weather forecast announces storms for the weekend.
Cuando hace calor, la gente busca la sombra de los árboles. | When it is hot, people look for the shade of the trees.
Cuando hace frío, nos abrigamos con bufanda, gorro y guantes. | When it is cold, we wrap up with a scarf, a hat and gloves.
La lluvia es buena para el campo, aunque moleste a los que van en bicicleta. | Rain is good for the fields, even if it bothers those who ride a bicycle.
En la costa el clima es suave durante todo el año. | On the coast the climate is mild all year round.
En el desierto, los días son calurosos y las noches pueden ser frías. | In the desert, the days are hot and the nights can be cold.
Después de la tormenta salió el arcoíris sobre el río. | After the storm a rainbow came out over the river.
Una previsión del tiempo es también un modelo que aprende de datos pasados. | A weather forecast is also a model that learns from past data.
Predecir la temperatura de mañana es más fácil que predecir la de dentro de un mes. | Predicting tomorrow's temperature is easier than predicting the temperature a month from now.
Para mi abuelo, el mejor pronóstico es mirar las nubes al atardecer. | For my grandfather, the best forecast is to look at the clouds at sunset.
    """,
    ),
    _Topic(
        "familia",
        "family",
        """
Mi familia es pequeña: mis padres, mi hermana, mi hermano y yo. | My family is small: my parents, my sister, my brother and me.
Mis abuelos viven en un pueblo cerca del mar. | My grandparents live in a village near the sea.
Mi abuela cuenta historias de cuando era niña y trabajaba en el campo. | My grandmother tells stories from when she was a girl and worked in the fields.
Mi abuelo arregla relojes antiguos y tiene una paciencia enorme. | My grandfather repairs old clocks and has enormous patience.
Mi tío es profesor de música y mi tía es ingeniera. | My uncle is a music teacher and my aunt is an engineer.
Tengo dos primos que estudian en la universidad. | I have two cousins who study at the university.
Mi hermana mayor trabaja como enfermera en el hospital del barrio. | My older sister works as a nurse at the neighbourhood hospital.
Mi hermano pequeño quiere ser astronauta o cocinero, y todavía no lo sabe. | My little brother wants to be an astronaut or a cook, and he does not know yet.
En los cumpleaños nos reunimos todos en casa de mis abuelos. | On birthdays we all get together at my grandparents' house.
Mi madre organiza la comida y mi padre se encarga de la música. | My mother organises the meal and my father takes care of the music.
Los niños juegan en el jardín mientras los mayores hablan en la mesa. | The children play in the garden while the adults talk at the table.
Mi sobrina acaba de aprender a leer y lee en voz alta todos los carteles. | My niece has just learned to read and reads every sign out loud.
Mi abuela siempre pregunta: ¿quién quiere más tarta? | My grandmother always asks: who wants more cake?
A veces discutimos, pero siempre terminamos riéndonos. | Sometimes we argue, but we always end up laughing.
Mi padre me enseñó a montar en bicicleta cuando tenía seis años. | My father taught me to ride a bicycle when I was six.
Mi madre me enseñó a hacer preguntas y a no tener miedo de equivocarme. | My mother taught me to ask questions and not to be afraid of making mistakes.
Las fotos antiguas de la familia están guardadas en una caja de cartón. | The old family photos are kept in a cardboard box.
Cada verano pasamos una semana juntos en la casa del pueblo. | Every summer we spend a week together at the house in the village.
    """,
    ),
    _Topic(
        "ciudad",
        "city",
        """
Vivo en una ciudad mediana con un río, un parque grande y un centro histórico. | I live in a medium-sized city with a river, a large park and a historic centre.
La plaza mayor está llena de gente los domingos por la mañana. | The main square is full of people on Sunday mornings.
En mi barrio hay una biblioteca, un mercado, una farmacia y dos escuelas. | In my neighbourhood there is a library, a market, a pharmacy and two schools.
Para ir al trabajo uso la bicicleta cuando no llueve. | To get to work I ride my bicycle when it is not raining.
El metro es rápido, pero en la hora punta va muy lleno. | The underground is fast, but at rush hour it is very crowded.
El tren a la capital sale cada hora desde la estación central. | The train to the capital leaves every hour from the central station.
Los coches eléctricos son cada vez más comunes en las calles. | Electric cars are more and more common on the streets.
El ayuntamiento quiere crear más carriles para bicicletas. | The city council wants to create more bicycle lanes.
Por la noche, las luces del puente se reflejan en el agua. | At night, the lights of the bridge are reflected in the water.
El museo de la ciudad es gratuito los miércoles por la tarde. | The city museum is free on Wednesday afternoons.
Cerca de la catedral hay un café donde se reúnen los estudiantes. | Near the cathedral there is a café where students meet.
El ruido del tráfico no deja dormir a algunos vecinos. | The noise of the traffic keeps some neighbours awake.
Los parques son los pulmones de la ciudad. | Parks are the lungs of the city.
Caminar por el centro es la mejor manera de conocer una ciudad nueva. | Walking through the centre is the best way to get to know a new city.
Los autobuses nocturnos conectan los barrios con el centro hasta el amanecer. | Night buses connect the neighbourhoods with the centre until dawn.
Un mapa de la red de transporte es un grafo: las estaciones son nodos y las líneas son aristas. | A map of the transport network is a graph: the stations are nodes and the lines are edges.
    """,
    ),
    _Topic(
        "trabajo",
        "work",
        """
Trabajo en una oficina pequeña con cinco compañeros. | I work in a small office with five colleagues.
Empezamos a las nueve y terminamos a las cinco de la tarde. | We start at nine and finish at five in the afternoon.
Los martes tenemos una reunión para revisar los proyectos de la semana. | On Tuesdays we have a meeting to review the week's projects.
Mi compañera Lucía analiza los datos de ventas de la empresa. | My colleague Lucía analyses the company's sales data.
Mi jefe pide que los informes sean claros y breves. | My boss asks for the reports to be clear and brief.
A mediodía comemos juntos en un restaurante cercano. | At noon we have lunch together at a nearby restaurant.
Trabajar desde casa dos días por semana me ahorra mucho tiempo. | Working from home two days a week saves me a lot of time.
El ordenador de la oficina es lento, así que entreno los modelos en un servidor. | The office computer is slow, so I train the models on a server.
Un buen equipo comparte la información y pide ayuda a tiempo. | A good team shares information and asks for help in time.
Cuando un proyecto termina, escribimos lo que aprendimos para el siguiente. | When a project ends, we write down what we learned for the next one.
Mi amigo Pablo es carpintero y trabaja en un taller junto al río. | My friend Pablo is a carpenter and works in a workshop by the river.
Mi vecina es médica y hace guardias en el hospital los fines de semana. | My neighbour is a doctor and works shifts at the hospital at weekends.
Los agricultores del valle empiezan a trabajar antes del amanecer. | The farmers of the valley start working before dawn.
Un cocinero necesita buena memoria, manos rápidas y calma. | A cook needs a good memory, quick hands and calm.
Las vacaciones de agosto son sagradas en muchas empresas. | The August holidays are sacred in many companies.
Antes de una entrega importante, todo el equipo revisa el trabajo dos veces. | Before an important delivery, the whole team checks the work twice.
    """,
    ),
    _Topic(
        "escuela",
        "school",
        """
La escuela de mi barrio tiene un patio grande y una biblioteca luminosa. | The school in my neighbourhood has a big playground and a bright library.
Las clases empiezan a las ocho y media y terminan a las dos. | Classes start at half past eight and end at two.
Mi asignatura favorita es matemáticas porque me gusta resolver problemas. | My favourite subject is mathematics because I like solving problems.
La profesora de historia cuenta las cosas como si fueran novelas. | The history teacher tells things as if they were novels.
En clase de ciencias medimos la temperatura del agua cada cinco minutos. | In science class we measure the temperature of the water every five minutes.
Los estudiantes trabajan en grupos de cuatro para hacer un experimento. | The students work in groups of four to do an experiment.
Cada grupo escribe un informe con una tabla, un gráfico y una conclusión. | Each group writes a report with a table, a graph and a conclusion.
Aprender un idioma exige practicar un poco todos los días. | Learning a language takes a little practice every day.
Leer en voz alta ayuda a mejorar la pronunciación. | Reading aloud helps to improve pronunciation.
Mi sobrina pregunta sin parar: ¿por qué el cielo es azul? | My niece keeps asking: why is the sky blue?
Un buen ejemplo vale más que una definición larga. | A good example is worth more than a long definition.
Equivocarse es parte de aprender: el error indica qué hay que corregir. | Making mistakes is part of learning: the error shows what needs correcting.
Los exámenes de junio ponen nerviosos a todos los estudiantes. | The June exams make all the students nervous.
En la universidad las clases son más largas y hay que estudiar por cuenta propia. | At university the classes are longer and you have to study on your own.
Mi prima estudia informática y dice que programar es como escribir recetas. | My cousin studies computer science and says that programming is like writing recipes.
Un profesor paciente puede cambiar la vida de un estudiante. | A patient teacher can change a student's life.
Al final del curso, la clase organiza una excursión al museo de ciencias. | At the end of the year, the class organises a trip to the science museum.
    """,
    ),
    _Topic(
        "viajes",
        "travel",
        """
El verano pasado viajamos en tren por el norte del país. | Last summer we travelled by train through the north of the country.
Antes de viajar, reservamos un hotel pequeño cerca de la playa. | Before travelling, we booked a small hotel near the beach.
La habitación era sencilla, pero tenía vistas al mar. | The room was simple, but it had a view of the sea.
En el pueblo probamos el pescado fresco y un queso de la zona. | In the village we tried fresh fish and a local cheese.
Mi hermana lleva siempre una guía y un mapa de papel. | My sister always carries a guidebook and a paper map.
Yo prefiero preguntar a la gente del lugar por los sitios que merecen la pena. | I prefer to ask local people about the places worth visiting.
El avión salió con una hora de retraso por la niebla. | The plane left an hour late because of the fog.
En el aeropuerto perdimos una maleta, pero la encontraron al día siguiente. | At the airport we lost a suitcase, but they found it the next day.
Subimos a la montaña y vimos el valle cubierto de nubes. | We climbed the mountain and saw the valley covered in clouds.
Viajar con poco equipaje hace todo más fácil. | Travelling with little luggage makes everything easier.
En otro país, aprender unas pocas palabras del idioma abre muchas puertas. | In another country, learning a few words of the language opens many doors.
Las fotos del viaje nos recuerdan los momentos felices. | The photos from the trip remind us of the happy moments.
Una buena ruta combina ciudades grandes y pueblos tranquilos. | A good route combines large cities and quiet villages.
Volvimos a casa cansados, con la maleta llena de recuerdos. | We came home tired, with a suitcase full of souvenirs.
El próximo año queremos visitar a unos amigos que viven en el extranjero. | Next year we want to visit some friends who live abroad.
    """,
    ),
    _Topic(
        "salud",
        "health",
        """
Dormir ocho horas es tan importante como comer bien. | Sleeping eight hours is as important as eating well.
Tres veces por semana salgo a correr por el parque. | Three times a week I go running in the park.
Mi hermano juega al fútbol con sus amigos los sábados. | My brother plays football with his friends on Saturdays.
Mi madre nada en la piscina municipal antes de ir al trabajo. | My mother swims at the public pool before going to work.
Beber agua durante el día ayuda a mantener la concentración. | Drinking water during the day helps you stay focused.
Después del ejercicio conviene estirar los músculos. | After exercise it is a good idea to stretch your muscles.
Cuando me duele la cabeza, descanso un rato lejos de las pantallas. | When I have a headache, I rest for a while away from screens.
La médica me recomendó caminar treinta minutos al día. | The doctor recommended that I walk thirty minutes a day.
Mi abuelo hace yoga y dice que le ayuda con la espalda. | My grandfather does yoga and says it helps his back.
Un entrenamiento demasiado duro puede provocar lesiones. | Training that is too hard can cause injuries.
Es mejor mejorar poco a poco que forzar el cuerpo en un solo día. | It is better to improve little by little than to force the body in a single day.
Durante el invierno muchas personas se resfrían. | During the winter many people catch a cold.
Lavarse las manos con jabón evita muchas enfermedades. | Washing your hands with soap prevents many illnesses.
Los médicos usan modelos estadísticos para estimar riesgos. | Doctors use statistical models to estimate risks.
Una prueba médica puede dar falsos positivos y falsos negativos, como cualquier clasificador. | A medical test can give false positives and false negatives, like any classifier.
    """,
    ),
    _Topic(
        "campo",
        "countryside",
        """
En la granja de mis tíos hay vacas, ovejas, gallinas y un burro muy tranquilo. | On my uncle and aunt's farm there are cows, sheep, hens and a very calm donkey.
Por la mañana, las gallinas ponen huevos y el gallo canta sin descanso. | In the morning, the hens lay eggs and the rooster crows without rest.
El perro pastor ayuda a llevar las ovejas al campo. | The sheepdog helps take the sheep to the field.
Los gatos de la granja cazan ratones en el granero. | The farm cats hunt mice in the barn.
En el río viven peces, ranas y algunos patos. | Fish, frogs and some ducks live in the river.
Las abejas visitan las flores y producen miel. | Bees visit the flowers and make honey.
En otoño los pájaros vuelan hacia el sur en grandes grupos. | In autumn birds fly south in large flocks.
Un caballo blanco corre libre por el prado. | A white horse runs free across the meadow.
Los niños dan de comer a los conejos con hojas de lechuga. | The children feed the rabbits with lettuce leaves.
El campo huele a tierra mojada después de la lluvia. | The countryside smells of wet earth after the rain.
Los olivos y los viñedos cubren las colinas del sur. | Olive trees and vineyards cover the hills of the south.
En el bosque hay pinos, robles y muchas setas en otoño. | In the forest there are pines, oaks and many mushrooms in autumn.
Un zorro cruzó el camino al atardecer. | A fox crossed the path at sunset.
Las vacas dan leche y con la leche se hace queso. | Cows give milk and cheese is made from milk.
Para reconocer una especie de pájaro, un modelo necesita muchas fotos etiquetadas. | To recognise a species of bird, a model needs many labelled photos.
    """,
    ),
    _Topic(
        "calendario",
        "calendar",
        """
La semana tiene siete días: lunes, martes, miércoles, jueves, viernes, sábado y domingo. | The week has seven days: Monday, Tuesday, Wednesday, Thursday, Friday, Saturday and Sunday.
El año tiene doce meses y el primero es enero. | The year has twelve months and the first is January.
Después de enero vienen febrero, marzo y abril. | After January come February, March and April.
Mayo y junio son meses de exámenes en muchas escuelas. | May and June are exam months in many schools.
En julio y agosto muchas familias se van de vacaciones. | In July and August many families go on holiday.
Septiembre trae el comienzo del curso y octubre, las primeras lluvias. | September brings the start of the school year and October the first rains.
Noviembre es un mes gris y diciembre termina con fiestas. | November is a grey month and December ends with celebrations.
Mi cumpleaños es el doce de marzo y el de mi hermana, el tres de octubre. | My birthday is on the twelfth of March and my sister's on the third of October.
El lunes tengo clase de inglés y el miércoles, clase de piano. | On Monday I have an English class and on Wednesday a piano class.
El jueves por la tarde juego al baloncesto con mis amigos. | On Thursday afternoon I play basketball with my friends.
El sábado vamos al mercado y el domingo comemos con los abuelos. | On Saturday we go to the market and on Sunday we have lunch with our grandparents.
Uno, dos, tres, cuatro y cinco son los primeros números que aprenden los niños. | One, two, three, four and five are the first numbers that children learn.
Seis más cuatro son diez, y diez por diez son cien. | Six plus four is ten, and ten times ten is a hundred.
Un minuto tiene sesenta segundos y una hora, sesenta minutos. | A minute has sixty seconds and an hour sixty minutes.
Un ordenador representa todos los números con ceros y unos. | A computer represents every number with zeros and ones.
Para una red neuronal, una fecha es solo una secuencia de símbolos hasta que aprende su estructura. | To a neural network, a date is just a sequence of symbols until it learns its structure.
    """,
    ),
    _Topic(
        "datos",
        "data",
        """
Un conjunto de datos es una colección de ejemplos, y cada ejemplo tiene características y, a veces, una etiqueta. | A dataset is a collection of examples, and each example has features and, sometimes, a label.
En una tabla, cada fila es un ejemplo y cada columna es una característica. | In a table, each row is an example and each column is a feature.
Antes de entrenar, separamos los datos en entrenamiento, validación y prueba. | Before training, we split the data into training, validation and test sets.
El conjunto de prueba no se toca hasta el final, para medir el rendimiento de forma honesta. | The test set is not touched until the end, to measure performance honestly.
Estandarizar las entradas pone todas las características en la misma escala. | Standardizing the inputs puts every feature on the same scale.
Un conjunto de datos desequilibrado tiene muchos más ejemplos de una clase que de otra. | An imbalanced dataset has many more examples of one class than of another.
Las etiquetas las escriben personas, y las personas también se equivocan. | Labels are written by people, and people make mistakes too.
Más datos suelen ayudar más que un modelo más complicado. | More data usually helps more than a more complicated model.
Un texto es una secuencia de caracteres, de palabras o de fragmentos de palabras. | A text is a sequence of characters, of words or of pieces of words.
Una imagen en blanco y negro es una matriz de números entre cero y uno. | A black-and-white image is a matrix of numbers between zero and one.
Un lote, o minilote, es un grupo pequeño de ejemplos que el modelo procesa a la vez. | A batch, or mini-batch, is a small group of examples that the model processes at once.
Los datos de entrenamiento deben parecerse a los datos que el modelo verá en el futuro. | The training data should resemble the data the model will see in the future.
Si los datos cambian con el tiempo, el modelo también debe actualizarse. | If the data change over time, the model must be updated as well.
Explorar los datos con gráficos simples evita muchas sorpresas después. | Exploring the data with simple plots avoids many surprises later.
Un corpus es una colección de textos que se usa para estudiar o entrenar modelos de lenguaje. | A corpus is a collection of texts used to study or to train language models.
Este corpus es pequeño y lo escribimos nosotros mismos para el curso. | This corpus is small and we wrote it ourselves for the course.
    """,
    ),
    _Topic(
        "redes",
        "networks",
        """
Una neurona artificial calcula una suma ponderada de sus entradas, le añade un sesgo y aplica una función de activación. | An artificial neuron computes a weighted sum of its inputs, adds a bias and applies an activation function.
Los pesos indican cuánto influye cada entrada en la salida de la neurona. | The weights indicate how much each input influences the output of the neuron.
Una capa es un grupo de neuronas que reciben las mismas entradas. | A layer is a group of neurons that receive the same inputs.
Una red profunda apila varias capas ocultas entre la entrada y la salida. | A deep network stacks several hidden layers between the input and the output.
Sin funciones de activación no lineales, muchas capas equivalen a una sola capa lineal. | Without nonlinear activation functions, many layers are equivalent to a single linear layer.
La función ReLU deja pasar los valores positivos y convierte en cero los negativos. | The ReLU function lets positive values through and turns negative ones into zero.
La sigmoide convierte cualquier número en una probabilidad entre cero y uno. | The sigmoid turns any number into a probability between zero and one.
La función softmax convierte un vector de puntuaciones en una distribución de probabilidad. | The softmax function turns a vector of scores into a probability distribution.
Una red recurrente lee una secuencia paso a paso y guarda un estado oculto. | A recurrent network reads a sequence step by step and keeps a hidden state.
El estado oculto resume lo que la red ha leído hasta ese momento. | The hidden state summarises what the network has read up to that moment.
Una red convolucional busca patrones locales en imágenes o en señales. | A convolutional network looks for local patterns in images or in signals.
Un embedding asigna a cada palabra un vector de números reales. | An embedding assigns each word a vector of real numbers.
Las palabras que aparecen en contextos parecidos acaban con vectores parecidos. | Words that appear in similar contexts end up with similar vectors.
La celda LSTM usa puertas para decidir qué recordar y qué olvidar. | The LSTM cell uses gates to decide what to remember and what to forget.
La celda GRU es una versión más sencilla de la LSTM, con dos puertas en lugar de tres. | The GRU cell is a simpler version of the LSTM, with two gates instead of three.
El mecanismo de atención permite que el modelo mire cualquier posición de la secuencia. | The attention mechanism lets the model look at any position in the sequence.
Un modelo grande no es siempre un modelo mejor. | A large model is not always a better model.
    """,
    ),
    _Topic(
        "entrenamiento",
        "training",
        """
Entrenar una red consiste en ajustar sus pesos para que la pérdida sea pequeña. | Training a network means adjusting its weights so that the loss is small.
La función de pérdida mide cuánto se equivoca el modelo en los datos de entrenamiento. | The loss function measures how wrong the model is on the training data.
El gradiente indica en qué dirección crece más rápido la pérdida. | The gradient indicates the direction in which the loss grows fastest.
El descenso de gradiente mueve los pesos en la dirección contraria al gradiente. | Gradient descent moves the weights in the direction opposite to the gradient.
La tasa de aprendizaje controla el tamaño de cada paso. | The learning rate controls the size of each step.
Si la tasa de aprendizaje es demasiado grande, la pérdida oscila o crece. | If the learning rate is too large, the loss oscillates or grows.
Si es demasiado pequeña, el entrenamiento avanza muy despacio. | If it is too small, training moves forward very slowly.
¿Por qué no baja la pérdida? Muchas veces, por culpa de la tasa de aprendizaje. | Why is the loss not going down? Often, because of the learning rate.
La retropropagación calcula el gradiente de la pérdida con la regla de la cadena. | Backpropagation computes the gradient of the loss with the chain rule.
Una época es una pasada completa por todos los datos de entrenamiento. | An epoch is a full pass over all the training data.
El optimizador Adam adapta el tamaño del paso para cada peso. | The Adam optimizer adapts the step size for each weight.
Cuando la pérdida de validación empieza a subir, el modelo está sobreajustando. | When the validation loss starts to rise, the model is overfitting.
El sobreajuste significa memorizar los ejemplos en lugar de aprender la regla general. | Overfitting means memorising the examples instead of learning the general rule.
La regularización, el abandono y la parada temprana ayudan a combatir el sobreajuste. | Regularization, dropout and early stopping help to fight overfitting.
En una red recurrente, el gradiente viaja hacia atrás a través del tiempo. | In a recurrent network, the gradient travels backwards through time.
En secuencias largas, el gradiente puede desvanecerse o explotar. | In long sequences, the gradient can vanish or explode.
Recortar la norma del gradiente evita los pasos gigantes cuando el gradiente explota. | Clipping the norm of the gradient avoids giant steps when the gradient explodes.
Fijar la semilla aleatoria hace que dos ejecuciones den los mismos números. | Fixing the random seed makes two runs give the same numbers.
Una GPU acelera el entrenamiento porque multiplica muchas matrices en paralelo. | A GPU speeds up training because it multiplies many matrices in parallel.
    """,
    ),
    _Topic(
        "lenguaje",
        "language",
        """
Para una computadora, un texto es al principio una larga cadena de caracteres. | To a computer, a text is at first a long string of characters.
La tokenización divide el texto en unidades llamadas tokens. | Tokenization splits the text into units called tokens.
Un token puede ser un carácter, una palabra o un fragmento de palabra. | A token can be a character, a word or a piece of a word.
Con tokens de palabras, el vocabulario es enorme y aparecen palabras desconocidas. | With word tokens, the vocabulary is huge and unknown words appear.
Con tokens de caracteres, el vocabulario es pequeño, pero las secuencias son muy largas. | With character tokens, the vocabulary is small, but the sequences are very long.
Los subtokens son un punto intermedio entre caracteres y palabras. | Subword tokens are a middle ground between characters and words.
El algoritmo BPE une una y otra vez el par de símbolos más frecuente. | The BPE algorithm merges the most frequent pair of symbols again and again.
El español tiene muchas formas de cada verbo: canto, cantas, cantamos, cantaron, cantaría. | Spanish has many forms of each verb: canto, cantas, cantamos, cantaron, cantaría.
Los acentos y la letra eñe ocupan dos bytes en UTF-8. | Accents and the letter eñe take up two bytes in UTF-8.
Un modelo de lenguaje aprende a predecir la palabra siguiente a partir de las anteriores. | A language model learns to predict the next word from the previous ones.
El sentido de una palabra depende de su contexto: no es lo mismo un banco del parque que un banco de datos. | The meaning of a word depends on its context: a park bench is not the same as a data bank.
Traducir una frase exige entenderla entera, no palabra por palabra. | Translating a sentence requires understanding the whole of it, not word by word.
Una reseña puede ser positiva o negativa, y a veces una sola palabra cambia su sentido. | A review can be positive or negative, and sometimes a single word changes its meaning.
La negación es difícil para los modelos sencillos: no es lo mismo bueno que no tan bueno. | Negation is hard for simple models: good is not the same as not so good.
Los nombres de personas, lugares y organizaciones son entidades que un modelo puede aprender a reconocer. | The names of people, places and organisations are entities that a model can learn to recognise.
Un corpus pequeño basta para entender las ideas, pero no para construir un traductor útil. | A small corpus is enough to understand the ideas, but not to build a useful translator.
    """,
    ),
    _Topic(
        "evaluación",
        "evaluation",
        """
La exactitud es la proporción de ejemplos que el modelo clasifica bien. | Accuracy is the proportion of examples that the model classifies correctly.
La matriz de confusión muestra qué clases confunde el modelo entre sí. | The confusion matrix shows which classes the model confuses with each other.
Con clases desequilibradas, la exactitud puede engañar. | With imbalanced classes, accuracy can be misleading.
La precisión y la exhaustividad separan los dos tipos de error. | Precision and recall separate the two kinds of error.
Un buen experimento compara el modelo con una línea base sencilla. | A good experiment compares the model with a simple baseline.
Leer los ejemplos mal clasificados enseña más que mirar un solo número. | Reading the misclassified examples teaches more than looking at a single number.
Un modelo aprende los sesgos que hay en sus datos. | A model learns the biases present in its data.
Antes de usar un modelo con personas reales, hay que preguntarse a quién puede perjudicar. | Before using a model with real people, one must ask whom it could harm.
Publicar el código y los datos permite que otros repitan el experimento. | Publishing the code and the data allows others to repeat the experiment.
Un resultado que nadie puede reproducir vale muy poco. | A result that nobody can reproduce is worth very little.
Las cifras de una lección deben salir del código que se ejecuta, no de la memoria del autor. | The figures in a lesson must come from the code that runs, not from the author's memory.
Cuando un modelo falla, conviene mirar primero los datos y después la arquitectura. | When a model fails, it is wise to look at the data first and at the architecture second.
    """,
    ),
    _Topic(
        "casa",
        "home",
        """
Nuestra casa tiene tres habitaciones, una cocina pequeña y un balcón con plantas. | Our house has three bedrooms, a small kitchen and a balcony with plants.
En el salón hay un sofá azul, una estantería llena de libros y una mesa redonda. | In the living room there is a blue sofa, a bookcase full of books and a round table.
Mi habitación da a un patio tranquilo y por la mañana entra mucha luz. | My room looks onto a quiet courtyard and a lot of light comes in in the morning.
Los sábados limpiamos la casa entre todos y ponemos música alta. | On Saturdays we all clean the house together and play loud music.
Mi padre riega las plantas del balcón cada dos días. | My father waters the plants on the balcony every two days.
La lavadora hace un ruido terrible cuando centrifuga. | The washing machine makes a terrible noise when it spins.
En invierno cerramos las ventanas temprano para que no entre el frío. | In winter we close the windows early so the cold does not get in.
En verano dormimos con la ventana abierta y se oyen los grillos. | In summer we sleep with the window open and we can hear the crickets.
La vecina del quinto toca el violín todas las tardes. | The neighbour on the fifth floor plays the violin every afternoon.
Cuando se va la luz, encendemos velas y jugamos a las cartas. | When the power goes out, we light candles and play cards.
Mi hermano deja siempre los zapatos en medio del pasillo. | My brother always leaves his shoes in the middle of the hallway.
La nevera está cubierta de fotos, dibujos y listas de la compra. | The fridge is covered in photos, drawings and shopping lists.
Arreglar un grifo que gotea es más fácil de lo que parece. | Fixing a dripping tap is easier than it looks.
Una casa ordenada ayuda a pensar con calma. | A tidy house helps you think calmly.
    """,
    ),
    _Topic(
        "ocio",
        "leisure",
        """
Los viernes por la noche vemos una película en familia. | On Friday nights we watch a film as a family.
A mi madre le gustan las películas antiguas y a mi padre, los documentales de naturaleza. | My mother likes old films and my father likes nature documentaries.
Mi hermana toca la guitarra y compone canciones tristes. | My sister plays the guitar and writes sad songs.
Los domingos por la tarde damos un paseo por el parque o vamos al cine. | On Sunday afternoons we go for a walk in the park or go to the cinema.
Leo una novela antes de dormir, aunque a veces me duermo en la segunda página. | I read a novel before going to sleep, although sometimes I fall asleep on the second page.
En la biblioteca del barrio se pueden pedir prestados libros, películas y discos. | At the neighbourhood library you can borrow books, films and records.
Mis amigos y yo jugamos a juegos de mesa una vez al mes. | My friends and I play board games once a month.
El concierto del sábado fue magnífico y terminó muy tarde. | Saturday's concert was magnificent and ended very late.
¡Qué bien tocó la orquesta! | How well the orchestra played!
La obra de teatro era larga, pero los actores estuvieron estupendos. | The play was long, but the actors were superb.
En la feria del pueblo hay música, comida y una noria enorme. | At the village fair there is music, food and an enormous Ferris wheel.
Pintar con acuarelas me relaja después de un día largo. | Painting with watercolours relaxes me after a long day.
Una buena canción se queda en la cabeza durante días. | A good song stays in your head for days.
Una mala película puede ser divertida si la ves con amigos. | A bad film can be fun if you watch it with friends.
    """,
    ),
    _Topic(
        "tecnología",
        "technology",
        """
Mi teléfono tiene una cámara buena, pero la batería dura poco. | My phone has a good camera, but the battery does not last long.
El ordenador portátil se calienta cuando entreno un modelo durante mucho tiempo. | The laptop gets hot when I train a model for a long time.
Guardar copias de seguridad evita perder el trabajo de meses. | Keeping backups avoids losing months of work.
Una contraseña larga es más segura que una corta con símbolos raros. | A long password is safer than a short one with strange symbols.
Los programas se escriben para que los lean las máquinas y también las personas. | Programs are written to be read by machines and also by people.
Un error en una sola línea de código puede romper un programa entero. | A mistake in a single line of code can break an entire program.
Las pruebas automáticas comprueban que el código sigue funcionando después de cada cambio. | Automated tests check that the code still works after every change.
Python es un lenguaje popular para el aprendizaje automático. | Python is a popular language for machine learning.
PyTorch calcula los gradientes automáticamente a partir de las operaciones con tensores. | PyTorch computes gradients automatically from the operations on tensors.
Un tensor es una tabla de números con cualquier número de dimensiones. | A tensor is a table of numbers with any number of dimensions.
Lightning organiza el bucle de entrenamiento para que el código del modelo quede limpio. | Lightning organises the training loop so that the model code stays clean.
Sin conexión a internet, este curso usa datos que vienen con las bibliotecas o que escribimos nosotros. | Without an internet connection, this course uses data that ship with the libraries or that we write ourselves.
Una tarjeta gráfica consume mucha energía, así que conviene no entrenar modelos sin necesidad. | A graphics card uses a lot of energy, so it is best not to train models without need.
Los asistentes de voz convierten el sonido en texto y el texto en respuestas. | Voice assistants turn sound into text and text into answers.
    """,
    ),
)


def _parse(raw: _Topic) -> Topic:
    pairs = []
    for line in raw.block.strip().splitlines():
        spanish, english = (part.strip() for part in line.split(" | "))
        pairs.append((spanish, english))
    return Topic(name={"es": raw.name_es, "en": raw.name_en}, pairs=tuple(pairs))


TOPICS: tuple[Topic, ...] = tuple(_parse(raw) for raw in _RAW_TOPICS)
"""The parallel corpus, topic by topic (every sentence has its translation)."""


def _check_language(lang: str) -> int:
    if lang not in ("es", "en"):
        raise ValueError(f"language must be 'es' or 'en', not {lang!r}")
    return 0 if lang == "es" else 1


def parallel_sentences() -> list[tuple[str, str]]:
    """Every (spanish, english) sentence pair of the corpus, in topic order."""
    return [pair for topic in TOPICS for pair in topic.pairs]


def sentences(lang: Language) -> list[str]:
    """Every sentence of the corpus in one language, in topic order."""
    index = _check_language(lang)
    return [pair[index] for pair in parallel_sentences()]


def paragraphs(lang: Language) -> list[str]:
    """One paragraph per topic, in one language."""
    _check_language(lang)
    return [topic.text(lang) for topic in TOPICS]


def corpus_text(lang: Language) -> str:
    """The whole corpus in one language: paragraphs separated by blank lines."""
    return "\n\n".join(paragraphs(lang))


def spanish_text() -> str:
    """The whole Spanish corpus as one string."""
    return corpus_text("es")


def english_text() -> str:
    """The whole English corpus as one string."""
    return corpus_text("en")


def train_test_sentences(lang: Language, *, test_every: int = 5) -> tuple[list[str], list[str]]:
    """Split the sentences of one language: every ``test_every``-th one goes to the test part.

    The split is the same for both languages, so the Spanish and English test parts are
    translations of each other and can be compared fairly.
    """
    train: list[str] = []
    test: list[str] = []
    for i, sentence in enumerate(sentences(lang)):
        (test if i % test_every == test_every - 1 else train).append(sentence)
    return train, test


WORD_PATTERN = re.compile(r"\w+|[^\w\s]")


def words(text: str, *, lowercase: bool = True) -> list[str]:
    """Split text into words and punctuation marks ("¿Qué?" -> ["¿", "qué", "?"])."""
    return WORD_PATTERN.findall(text.lower() if lowercase else text)
